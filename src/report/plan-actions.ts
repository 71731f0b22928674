import type { Finding, PlanAction, Problem } from '../model/index.ts';
import { commentText } from '../sql/quote.ts';

export const MAX_ACTIONS = 5;

/** One script for the index and schema actions: CREATE INDEX CONCURRENTLY cannot run in a transaction, so no BEGIN. */
export function actionsMigration(actions: readonly PlanAction[]): string | null {
  const parts = actions.filter((a) => a.category === 'index' || a.category === 'schema');
  if (parts.length === 0) return null;
  return [
    '-- db-optimize: the index and schema changes of "do these first", in order',
    '-- run without BEGIN: CREATE/DROP INDEX CONCURRENTLY cannot run in a transaction',
    ...parts.flatMap((a) => ['', `-- ${a.rank}. ${commentText(a.title)}`, a.content.trimEnd()]),
    '',
  ].join('\n');
}

/**
 * "Do these first": the top problems that have something to apply, at most five. A fix counts
 * when it was verified, or when the problem is a critical risk (wraparound, overflow) whose fix
 * cannot be checked by a cost model.
 */
export function planActions(problems: readonly Problem[], findings: readonly Finding[]): PlanAction[] {
  const out: PlanAction[] = [];
  for (const p of problems) {
    if (out.length >= MAX_ACTIONS) break;
    const fix = p.fix;
    if (fix === null) continue;
    if (!fix.verified && !(p.ranking === 'risk' && p.severity === 'critical')) continue;
    const f = findings[fix.finding];
    out.push({
      rank: out.length + 1,
      problem: p.id,
      // index titles already say what to do ("Create …", "Index … duplicates …")
      title: fix.category === 'index' || fix.category === 'other' ? (f?.title ?? p.title) : `${actionVerb(fix.category)}: ${f?.title ?? p.title}`,
      kind: fix.kind,
      category: fix.category,
      content: fix.content,
      ...(fix.rollback === undefined ? {} : { rollback: fix.rollback }),
      verified: fix.verified,
      estimatedSavingMsPerDay: p.estimatedSavingMsPerDay,
    });
  }
  return out;
}

function actionVerb(category: PlanAction['category']): string {
  const verbs: Record<PlanAction['category'], string> = {
    index: 'Index',
    rewrite: 'Rewrite the statement',
    config: 'Configure',
    code: 'Change the code',
    schema: 'Migrate the schema',
    other: 'Run',
  };
  return verbs[category];
}
