import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, WorkloadStatement } from '../../../model/index.ts';
import { rewriteStatement } from '../../../rewrite/rewrite-statement.ts';
import type { StaticRewrite } from '../../../rewrite/rewrite-statement.ts';
import { schemaFactsFromSnapshot } from '../../../rewrite/schema-facts.ts';
import type { WhatIfEngine } from '../../../whatif/what-if-engine.ts';
import { round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';

async function plannerCosts(whatIf: WhatIfEngine | null, before: string, after: string | null): Promise<{ costBefore: number; costAfter: number } | null> {
  if (whatIf === null || after === null) return null;
  try {
    const b = await whatIf.cost(before);
    const a = await whatIf.cost(after);
    return { costBefore: round(b.totalCost), costAfter: round(a.totalCost) };
  } catch {
    // parameterized texts plan only with GENERIC_PLAN (PostgreSQL 16+); no cost then
    return null;
  }
}

function statementLabel(s: WorkloadStatement): string {
  return s.text.replace(/\s+/g, ' ').slice(0, 60);
}

export const queryRewrites = defineAnalyzer({
  id: 'query-rewrites',
  phase: 'optimize',
  title: 'Query rewrite candidates in the workload',
  description:
    'Runs the rewrite rules (db-optimize rewrite) over the workload\'s SELECT statements with the catalog facts of the snapshot. Nothing is executed here: candidates are reported unverified, with planner cost before/after when the what-if session is open; `db-optimize rewrite --db URL "SQL"` proves one (same rows, cheaper).',
  depth: 4,
  requires: { workload: true },
  options: {
    limit: { default: 20, description: 'statements to examine, by total time' },
    minShare: { default: 0.001, description: 'ignore statements below this share of total time' },
  },
  async run({ snapshot, workload, whatIf, options }) {
    const statements = (workload?.statements ?? []).filter((s) => s.fingerprint !== null && /^\s*(WITH|SELECT|\()/i.test(s.sample ?? s.text));
    const total = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);
    const facts = schemaFactsFromSnapshot(snapshot);
    const windowSeconds = workload?.windowSeconds ?? null;
    const findings: Finding[] = [];
    const chosen = [...statements].sort((a, b) => b.totalTimeMs - a.totalTimeMs || b.calls - a.calls).filter((s) => total <= 0 || s.totalTimeMs / total >= options.minShare).slice(0, options.limit);
    for (const s of chosen) {
      const sql = s.sample ?? s.text;
      let candidates: readonly StaticRewrite[];
      try {
        candidates = rewriteStatement(sql, { facts }).candidates;
      } catch {
        continue;
      }
      for (const c of candidates) {
        const costs = await plannerCosts(whatIf, sql, c.after);
        const share = costs !== null && costs.costBefore > 0 ? Math.max(0, (costs.costBefore - costs.costAfter) / costs.costBefore) : 0;
        const savedMs = s.totalTimeMs * share;
        const msPerDay = windowSeconds === null ? savedMs : perDay(savedMs, windowSeconds);
        const reason =
          c.semantics === 'changes-results'
            ? `changes results by design: ${c.semanticsNote ?? ''}`
            : c.semantics === 'index-proposal'
              ? 'index proposal: not built or measured here'
              : 'static rewrite: results were not compared (the optimize phase executes nothing)';
        findings.push({
          rule: c.rule,
          severity: c.severity,
          title: `${c.title} — in: ${statementLabel(s)}`,
          target: { kind: 'statement', ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }), ...(s.queryId === undefined ? {} : { queryId: s.queryId }) },
          evidence: {
            query: s.text,
            calls: s.calls,
            totalTimeMs: round(s.totalTimeMs),
            meanTimeMs: round(s.meanTimeMs, 3),
            semantics: c.semantics,
            preconditions: c.preconditions.map((p) => `${p.holds === true ? 'holds' : p.holds === false ? 'fails' : 'unknown'}: ${p.fact}`),
            ...(costs === null ? {} : costs),
          },
          impact: {
            score: msPerDay,
            summary: costs === null ? `not measured (static; ${s.calls} calls): ${reason.split(':')[0]}` : `planner cost ${costs.costBefore} → ${costs.costAfter} (${Math.round(share * 100)} % less) on a statement taking ${round(s.totalTimeMs)} ms in total`,
            ...(costs === null ? {} : { ...costs, msPerDay: round(msPerDay, 1) }),
          },
          description: c.explanation,
          nextSteps: [`verify on the database: db-optimize rewrite --db URL ${JSON.stringify(sql.replace(/\s+/g, ' '))}`],
          fix: {
            kind: 'sql',
            content: c.afterFormatted ?? c.proposal ?? '',
            safety: 'review',
            verified: false,
            verification: reason,
          },
        });
      }
    }
    return findings;
  },
});
