import { analyzePlan } from '../explain/index.ts';
import type { Finding } from '../model/index.ts';
import type { LogsPlan } from './logs-model.ts';
import type { PlanSample } from './plan-sample.ts';
import type { StatementIdentifier } from './statement-stats.ts';

/**
 * Runs the explain tips on the slowest auto_explain plans, one per statement shape (the slowest).
 * A plan the explain parser rejects is counted, not fatal.
 */
export function analyzePlans(sample: PlanSample, identifier: StatementIdentifier): { plans: LogsPlan[]; findings: Finding[]; unreadable: number } {
  const plans: LogsPlan[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let unreadable = 0;
  for (const p of sample.slowest()) {
    let analysis: ReturnType<typeof analyzePlan>;
    try {
      analysis = analyzePlan(`LOG:  ${p.text.replace(/\n/g, '\n\t')}`, { source: `auto_explain plan at line ${p.line}` });
    } catch {
      unreadable++;
      continue;
    }
    const text = analysis.plan.plan.queryText ?? '';
    const id = identifier.identify(text);
    if (seen.has(id.fingerprint)) continue;
    seen.add(id.fingerprint);
    plans.push({
      query: id.query,
      fingerprint: id.fingerprint,
      durationMs: p.durationMs,
      line: p.line,
      tips: analysis.findings.map((f) => ({ rule: f.rule, title: f.title })),
    });
    findings.push(...analysis.findings.map((f) => ({ ...f, title: `${f.title} (auto_explain, line ${p.line})` })));
  }
  return { plans, findings, unreadable };
}
