import type { StatementShape } from './statement-shape.ts';
import type { AdvisorStatement, Candidate } from './types.ts';

/** Columns a statement filters, joins, sorts or groups on, per table: where an index can start. */
export function indexableColumns(shape: StatementShape): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const a of shape.accesses) {
    const set = (out[a.table.qualifiedName] ??= new Set());
    for (const c of [...a.eq, ...a.range, ...a.groupBy, ...a.prefixLike, ...a.trigram]) set.add(c);
    for (const o of a.orderBy) set.add(o.column);
    for (const l of a.literalEq) set.add(l.column);
    for (const n of a.nullTests) set.add(n.column);
    for (const e of [...a.exprEq, ...a.fts]) for (const c of e.columns) set.add(c);
    for (const g of a.gin) set.add(g.column);
  }
  return Object.fromEntries(Object.entries(out).map(([t, s]) => [t, [...s].sort()]));
}

/**
 * Whether a candidate can matter to a statement: same table and its leading key (or partial
 * predicate) is on a column the statement uses. Other statements are never re-planned for it,
 * which keeps the search linear in the workload (the "indexable columns" of DTA and Extend).
 */
export function isRelevant(c: Candidate, s: AdvisorStatement): boolean {
  if (!s.tables.includes(c.table)) return false;
  const cols = s.indexable[c.table];
  if (cols === undefined) return false;
  const lead = c.keys[0];
  if (lead === undefined) return false;
  if (cols.includes(lead.expr)) return true;
  const leadCols = c.columns.filter((col) => new RegExp(`\\b${col}\\b`).test(lead.expr));
  if (leadCols.some((col) => cols.includes(col))) return true;
  return c.predicate !== null && c.columns.some((col) => cols.includes(col) && c.predicate?.includes(col) === true);
}
