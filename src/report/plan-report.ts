import { statementShape, statementTables } from '../analyzers/profile/statement-relations.ts';
import { perDay } from '../analyzers/snapshot-lookup.ts';
import type { Report, Snapshot, Workload } from '../model/index.ts';
import { groupProblems } from './group-problems.ts';
import { holdBack } from './held-back.ts';
import { actionsMigration, planActions } from './plan-actions.ts';
import { buildScorecard } from './scorecard.ts';

/**
 * Turns an analysis report into an action plan: findings that need more history than the
 * statistics cover are held back, the rest grouped by root cause into ranked problems, the seed's
 * scorecard measured, and at most five actions picked. `findings` keeps every finding shown.
 */
export function planReport(report: Report, snapshot: Snapshot, workload: Workload | null): Report {
  const { kept, heldBack } = holdBack(report.findings);
  const parents = new Map<string, string>();
  for (const t of snapshot.tables) if (t.parent !== null) parents.set(t.qualifiedName, t.parent);
  const parentOf = (r: string): string => parents.get(r) ?? r;
  const window = workload?.windowSeconds ?? null;
  const problems = groupProblems({
    findings: kept,
    statements: workload?.statements ?? [],
    parentOf,
    statementTables: (s) => statementTables(snapshot, s).map((t) => parentOf(t.qualifiedName)),
    statementFilterColumns: (s) => statementShape(s.text)?.filterColumns ?? [],
    workloadMsPerDay: workload === null ? null : window === null ? workload.totalTimeMs : perDay(workload.totalTimeMs, window),
  });
  const actions = planActions(problems, kept);
  return {
    ...report,
    scorecard: buildScorecard(snapshot, workload, kept, report.skipped),
    problems,
    actions,
    actionsMigration: actionsMigration(actions),
    heldBack,
    findings: kept,
  };
}
