import type { Snapshot, WorkloadStatement } from '../../model/index.ts';
import { formatCount, formatMs, quoteIdent } from '../../format/format.ts';
import { indexesOf } from '../snapshot-lookup.ts';
import { statementShape, statementTables } from './statement-relations.ts';

/** True when some valid index on the table leads with the column. */
function hasLeadingIndex(snapshot: Snapshot, table: string, column: string): boolean {
  return indexesOf(snapshot, table).some((i) => i.isValid && (i.columns[0]?.name === column || i.columns[0]?.name === quoteIdent(column)));
}

/**
 * Next steps for one expensive statement: which statement to EXPLAIN and which table to look
 * at, with the catalog facts we have (missing index on a filter column, dead rows, HOT updates).
 */
export function statementNextSteps(snapshot: Snapshot | null, s: WorkloadStatement): string[] {
  const steps: string[] = [];
  const shape = statementShape(s.text);
  const one = s.text.replace(/\s+/g, ' ').trim();
  if (shape?.kind === 'other') return ['a utility statement (DDL, maintenance, transaction control): no plan to EXPLAIN; check when and how often it runs'];
  steps.push(`EXPLAIN (ANALYZE, BUFFERS) this statement with representative values: db-optimize query "${one.length > 200 ? `${one.slice(0, 199)}…` : one}"`);
  const tables = statementTables(snapshot, s);
  const names = tables.length > 0 ? tables.map((t) => t.qualifiedName) : (shape?.relations ?? []);
  if (shape !== null && snapshot !== null) {
    for (const t of tables) {
      const unindexed = shape.filterColumns.filter((c) => t.columns.some((col) => col.name === c) && !hasLeadingIndex(snapshot, t.qualifiedName, c));
      if (unindexed.length > 0 && shape.kind !== 'insert') {
        steps.push(
          `no index leads with ${unindexed.map((c) => `${t.qualifiedName}(${c})`).join(', ')} although the statement filters on it: check the plan for a sequential scan of ${formatCount(Math.max(0, t.rowEstimate))} rows (db-optimize indexes)`,
        );
      }
      const a = t.activity;
      if ((shape.kind === 'update' || shape.kind === 'delete') && a !== null) {
        const hot = a.nTupUpd > 0 ? a.nTupHotUpd / a.nTupUpd : null;
        steps.push(
          `look at table ${t.qualifiedName}: ${formatCount(a.nDeadTup)} dead rows, ${formatCount(a.nLiveTup)} live` +
            (hot === null ? '' : `, ${Math.round(hot * 100)} % of updates HOT`) +
            '; a write by key that takes this long usually waits on row locks or maintains many indexes (check lock waits, triggers, indexes on the updated columns)',
        );
      }
    }
  }
  if (shape?.kind === 'update' || shape?.kind === 'delete') {
    if (s.meanTimeMs >= 20 && shape.filterColumns.length >= 1 && shape.filterColumns.length <= 2 && s.rows <= s.calls * 2) {
      steps.push(`${shape.kind === 'update' ? 'an UPDATE' : 'a DELETE'} by key should take well under 1 ms; ${formatMs(s.meanTimeMs)} mean points at lock waits (db-optimize profile shows blocking chains) or bloat`);
    }
  } else if (shape?.kind === 'insert' && s.calls > 1 && s.rows <= s.calls * 1.5) {
    steps.push(`inserts into ${names.join(', ') || 'the table'}: cost grows with every index and trigger on it; batch them (multi-row INSERT or COPY) if the application inserts one row per call`);
  } else if (s.calls >= 100_000 && s.meanTimeMs < 5) {
    steps.push(`${formatCount(s.calls)} calls at ${formatMs(s.meanTimeMs)}: cheap per call, expensive by volume — check for N+1 patterns and cache candidates (db-optimize n1)`);
  }
  if (names.length > 0 && !steps.some((x) => x.startsWith('look at table'))) steps.push(`tables involved: ${names.join(', ')}`);
  return steps;
}
