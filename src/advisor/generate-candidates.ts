import { bareNameOf, quoteIdent, quoteLiteral, unquoteIdent } from '../sql/quote.ts';
import type { Index, IndexColumn, Snapshot, Table } from '../model/index.ts';
import { distinctValues, equalitySelectivity, nullSelectivity, tableRows } from './column-stats.ts';
import type { TableAccess } from './statement-shape.ts';
import type { Candidate, CandidateKind, IndexKey } from './types.ts';

export interface CandidateOptions {
  /** a constant predicate at or below this selectivity becomes a partial index */
  readonly partialMaxSelectivity: number;
  /**
   * only on columns with at most this many distinct values (status, type, flags): a literal on a
   * high-cardinality column (user_id = 14) is one instance of a parameter, not a fixed predicate
   */
  readonly partialMaxDistinct: number;
  /** tables with fewer rows get no candidates: a sequential scan is as good */
  readonly minTableRows: number;
  /** BRIN only on tables at least this large */
  readonly brinMinRows: number;
  /** |correlation| a column needs for BRIN */
  readonly brinMinCorrelation: number;
  /** at most this many INCLUDE columns in a covering candidate */
  readonly maxIncludeColumns: number;
}

export const DEFAULT_CANDIDATE_OPTIONS: CandidateOptions = {
  partialMaxSelectivity: 0.2,
  partialMaxDistinct: 20,
  minTableRows: 1000,
  brinMinRows: 100_000,
  brinMinCorrelation: 0.9,
  maxIncludeColumns: 4,
};

function keyText(k: IndexKey): string {
  const base = k.isExpression === true ? `(${k.expr})` : quoteIdent(k.expr);
  return `${base}${k.opclass === undefined ? '' : ` ${k.opclass}`}${k.desc ? ' DESC' : ''}`;
}

export function candidateDefinition(table: string, method: string, keys: readonly IndexKey[], include: readonly string[], predicate: string | null): string {
  return (
    `CREATE INDEX ON ${table} USING ${method} (${keys.map(keyText).join(', ')})` +
    (include.length > 0 ? ` INCLUDE (${include.map(quoteIdent).join(', ')})` : '') +
    (predicate === null ? '' : ` WHERE ${predicate}`)
  );
}

/** whether an expression text names the column; the name is escaped (it may hold regex syntax) */
function mentionsColumn(text: string, column: string): boolean {
  if (text.includes(quoteIdent(column)) && quoteIdent(column) !== column) return true;
  return new RegExp(`(?<![\\w$])${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`).test(text);
}

/** A GiST index answers full-text @@ and trigram LIKE too (slower to search, but already there): not a second index. */
function sameFamily(c: Candidate, e: Index): boolean {
  return e.method === c.method || (e.method === 'gist' && (c.kind === 'gin-fts' || c.kind === 'gin-trigram'));
}
const GIST_OPCLASS: Readonly<Record<string, string>> = { gin_trgm_ops: 'gist_trgm_ops' };

/** an index column as candidates name it: catalog plain columns arrive quote_ident()ed, keys hold raw names */
export function indexColumnName(col: IndexColumn): string {
  return col.isExpression ? col.name : unquoteIdent(col.name);
}

/** existing index serves the candidate: same method (or GiST for full text/trigram), candidate keys are a leading prefix, same predicate */
function servedBy(c: Candidate, existing: readonly Index[]): Index | undefined {
  return existing.find((e) => {
    if (!e.isValid || !sameFamily(c, e) || (e.predicate ?? null) !== c.predicate) return false;
    if (e.columns.length < c.keys.length) return false;
    const sameDir = c.keys.every((k, i) => e.columns[i]?.descending === k.desc);
    const flipped = c.keys.every((k, i) => e.columns[i]?.descending !== k.desc);
    if (!sameDir && !(flipped && c.method === 'btree')) return false;
    const keysMatch = c.keys.every((k, i) => {
      const col = e.columns[i];
      const opclass = e.method === 'gist' && k.opclass !== undefined ? GIST_OPCLASS[k.opclass] : k.opclass;
      return col !== undefined && (indexColumnName(col) === k.expr || col.name === `(${k.expr})`) && (opclass === undefined || col.opclass === opclass);
    });
    if (!keysMatch) return false;
    const stored = new Set([...e.columns.map(indexColumnName), ...e.includeColumns.map(unquoteIdent)]);
    return c.include.every((i) => stored.has(i));
  });
}

function widened(c: Candidate, existing: readonly Index[]): Index | undefined {
  if (c.method !== 'btree' || c.predicate !== null) return undefined;
  return existing.find(
    (e) =>
      e.isValid &&
      e.method === 'btree' &&
      e.predicate === null &&
      !e.isUnique &&
      !e.isPrimary &&
      e.constraint === null &&
      e.includeColumns.length === 0 &&
      e.columns.length < c.keys.length &&
      e.columns.every((col, i) => !col.isExpression && indexColumnName(col) === c.keys[i]?.expr),
  );
}

/**
 * Index candidates for one table access: btree single and multi-column (equality → range →
 * ORDER BY/GROUP BY with the query's directions), covering INCLUDE, partial on selective
 * constants, expression, GIN (jsonb, arrays, trigram, full text) and BRIN.
 */
export function candidatesFor(
  access: TableAccess,
  statementId: string,
  snapshot: Snapshot,
  existing: readonly Index[],
  options: CandidateOptions = DEFAULT_CANDIDATE_OPTIONS,
): Candidate[] {
  const table = access.table;
  if (tableRows(table) < options.minTableRows) return [];
  const name = table.qualifiedName;
  const out: Candidate[] = [];
  const trgmInstalled = snapshot.extensions.some((e) => e.name === 'pg_trgm' && e.installedVersion !== null);
  const add = (kind: CandidateKind, method: Candidate['method'], keys: IndexKey[], include: string[] = [], predicate: string | null = null, extra: Partial<Candidate> = {}): void => {
    if (keys.length === 0 || keys.length > 32) return;
    const exprs = keys.map((k) => k.expr);
    if (new Set(exprs).size !== exprs.length) return;
    const definition = candidateDefinition(name, method, keys, include, predicate);
    const columns = new Set<string>(include);
    for (const k of keys) for (const c of table.columns) if (k.expr === c.name || mentionsColumn(k.expr, c.name)) columns.add(c.name);
    if (predicate !== null) for (const c of table.columns) if (mentionsColumn(predicate, c.name)) columns.add(c.name);
    out.push({
      id: definition.replace(/^CREATE INDEX ON /, ''),
      kind,
      table: name,
      method,
      keys,
      include,
      predicate,
      definition,
      columns: [...columns].sort(),
      sources: [statementId],
      ...extra,
    });
  };
  const bySelectivity = (cols: readonly string[]): string[] => [...cols].sort((a, b) => (distinctValues(table, b) ?? 0) - (distinctValues(table, a) ?? 0) || a.localeCompare(b));
  const eq = bySelectivity(access.eq);
  const range = access.range.filter((c) => !eq.includes(c));
  const order = access.orderBy.filter((o) => !eq.includes(o.column));
  const group = access.groupBy.filter((g) => !eq.includes(g));
  const asc = (c: string): IndexKey => ({ expr: c, desc: false });
  const eqKeys = eq.map(asc);
  const orderKeys = order.map((o) => ({ expr: o.column, desc: o.desc }));

  for (const c of new Set([...eq, ...range, ...(order[0] === undefined ? [] : [order[0].column]), ...(group[0] === undefined ? [] : [group[0]])])) add('btree', 'btree', [asc(c)]);
  if (eq.length > 1) add('btree', 'btree', eqKeys);
  const ranged = range.slice(0, 2).map((r) => [...eqKeys, asc(r)]);
  for (const keys of ranged) add('btree', 'btree', keys);
  if (orderKeys.length > 0) add('btree', 'btree', [...eqKeys, ...orderKeys]);
  if (group.length > 0) add('btree', 'btree', [...eqKeys, ...group.map(asc)]);

  // covering: the widest useful key set plus what the statement reads; never on a unique key (the
  // lookup fetches one heap row: INCLUDE would copy the row into a second index for one page read)
  const uniqueLookup = existing.some((e) => (e.isUnique || e.isPrimary) && e.predicate === null && e.columns.every((col) => !col.isExpression && eq.includes(indexColumnName(col))));
  if (access.referenced !== null && !uniqueLookup) {
    const best = orderKeys.length > 0 ? [...eqKeys, ...orderKeys] : (ranged[0] ?? (eqKeys.length > 0 ? eqKeys : group.map(asc)));
    const rest = [...access.referenced].filter((c) => !best.some((k) => k.expr === c)).sort();
    if (best.length > 0 && rest.length > 0 && rest.length <= options.maxIncludeColumns) add('covering', 'btree', best, rest);
  }

  // partial: selective constant predicates move into WHERE
  const partialPreds: { column: string; predicate: string }[] = [];
  for (const le of access.literalEq) {
    const sel = equalitySelectivity(table, le.column, le.value);
    const distinct = distinctValues(table, le.column);
    if (sel !== null && sel <= options.partialMaxSelectivity && distinct !== null && distinct <= options.partialMaxDistinct) partialPreds.push({ column: le.column, predicate: `${quoteIdent(le.column)} = ${quoteLiteral(le.value)}` });
  }
  for (const nt of access.nullTests) {
    const sel = nullSelectivity(table, nt.column, nt.isNull);
    if (sel !== null && sel <= options.partialMaxSelectivity) partialPreds.push({ column: nt.column, predicate: `${quoteIdent(nt.column)} IS ${nt.isNull ? '' : 'NOT '}NULL` });
  }
  for (const p of partialPreds) {
    const keyEq = eqKeys.filter((k) => k.expr !== p.column);
    const tails = [orderKeys.filter((k) => k.expr !== p.column), range.filter((r) => r !== p.column).slice(0, 1).map(asc)];
    let any = false;
    for (const tail of tails) {
      const keys = [...keyEq, ...tail];
      if (keys.length > 0) {
        add('partial', 'btree', keys, [], p.predicate);
        any = true;
      }
    }
    if (!any) {
      const pkCol = existing.find((e) => e.isPrimary)?.columns[0];
      // catalog index columns arrive quote_ident()ed; keys hold raw names
      const pk = pkCol === undefined || pkCol.isExpression ? undefined : bareNameOf(pkCol.name);
      add('partial', 'btree', [asc(keyEq[0]?.expr ?? pk ?? p.column)], [], p.predicate);
    }
  }

  for (const e of access.exprEq) {
    add('expression', 'btree', [{ expr: e.expr, desc: false, isExpression: true }]);
    if (eqKeys.length > 0) add('expression', 'btree', [...eqKeys, { expr: e.expr, desc: false, isExpression: true }]);
  }
  for (const c of access.prefixLike) add('btree', 'btree', [{ expr: c, desc: false, opclass: 'text_pattern_ops' }]);
  for (const g of access.gin) add(g.kind === 'array' ? 'gin-array' : g.kind === 'tsvector' ? 'gin-fts' : 'gin-jsonb', 'gin', [asc(g.column)]);
  for (const c of access.trigram) {
    add('gin-trigram', 'gin', [{ expr: c, desc: false, opclass: 'gin_trgm_ops' }], [], null, trgmInstalled ? {} : { needsExtension: 'pg_trgm' });
  }
  for (const f of access.fts) {
    add('gin-fts', 'gin', [{ expr: f.expr, desc: false, isExpression: true }], [], null, f.rewrite ? { note: `the statement calls to_tsvector without a configuration, which cannot be indexed; write it as ${f.expr} @@ … so it uses this index` } : {});
  }
  for (const r of range) {
    const corr = table.columns.find((c) => c.name === r)?.stats?.correlation ?? 0;
    if (Math.abs(corr) >= options.brinMinCorrelation && tableRows(table) >= options.brinMinRows && appendOnly(table)) add('brin', 'brin', [asc(r)]);
  }

  return out
    .filter((c) => servedBy(c, existing) === undefined)
    .map((c) => {
      const w = widened(c, existing);
      return w === undefined ? c : { ...c, kind: c.kind === 'btree' ? ('widening' as const) : c.kind, widens: w.qualifiedName };
    });
}

/** few updates and deletes compared with inserts: the physical order follows the time column */
export function appendOnly(table: Table): boolean {
  const a = table.activity;
  if (a === null) return true;
  return a.nTupUpd + a.nTupDel <= 0.05 * Math.max(1, a.nTupIns);
}

/** Merges candidates with the same definition, keeping every source statement. */
export function mergeCandidates(list: readonly Candidate[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const c of list) {
    const prev = byId.get(c.id);
    byId.set(c.id, prev === undefined ? c : { ...prev, sources: [...new Set([...prev.sources, ...c.sources])] });
  }
  return [...byId.values()];
}
