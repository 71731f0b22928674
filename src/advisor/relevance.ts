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
  if (cols === undefined || cols.length === 0) return false;
  return leadColumns(c).some((col) => cols.includes(col));
}

const leadCache = new WeakMap<Candidate, readonly string[]>();

/** the columns an index on this candidate can be entered by: its first key's columns and its predicate's */
function leadColumns(c: Candidate): readonly string[] {
  const cached = leadCache.get(c);
  if (cached !== undefined) return cached;
  const lead = c.keys[0]?.expr ?? '';
  const words = new Set(lead.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []);
  const predicate = new Set(c.predicate?.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []);
  const out = c.columns.filter((col) => col === lead || words.has(col) || predicate.has(col));
  leadCache.set(c, out);
  return out;
}
