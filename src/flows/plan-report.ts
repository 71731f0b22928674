import type { Finding, Report, ReportDatabase, ReportSection } from '../model/index.ts';
import type { EnrichedPlan } from '../explain/index.ts';
import { planSummary, renderPlanTree } from '../explain/index.ts';
import { buildReport } from '../render/index.ts';

/** The report of `explain` and `query`: the annotated tree as a section, the plan as JSON, ranked tips. */
export function planReport(input: {
  command: 'explain' | 'query';
  plan: EnrichedPlan;
  findings: readonly Finding[];
  database: ReportDatabase;
  width: number;
  before?: readonly ReportSection[];
  after?: readonly ReportSection[];
  extra?: Readonly<Record<string, unknown>>;
}): Report {
  const report = buildReport({
    command: input.command,
    generatedAt: new Date().toISOString(),
    database: input.database,
    findings: input.findings,
  });
  // keep the tips ranked by time saved (buildReport sorts by severity first)
  const ranked = [...input.findings];
  const tree = renderPlanTree(input.plan, ranked, input.width);
  return {
    ...report,
    findings: ranked,
    sections: [...(input.before ?? []), { id: 'plan', title: 'Plan (exclusive time per node)', lines: tree }, ...(input.after ?? [])],
    plan: planSummary(input.plan),
    ...(input.extra ?? {}),
  };
}
