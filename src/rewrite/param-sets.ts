import type { ColumnStats } from '../model/index.ts';
import type { Ast } from './ast.ts';
import { columnRef, maxParam, walk } from './ast.ts';
import type { SchemaFacts } from './schema-facts.ts';

export interface ParamSet {
  /** e.g. "most common value", "histogram low bound", "NULL" */
  readonly label: string;
  readonly values: readonly (string | null)[];
}

export interface ParamSetResult {
  readonly sets: readonly ParamSet[];
  /** parameters no column statistics could be found for */
  readonly unresolved: readonly number[];
}

function paramNumber(node: Ast): number | null {
  const n = node?.ParamRef?.number ?? node?.TypeCast?.arg?.ParamRef?.number;
  return typeof n === 'number' ? n : null;
}

/** The column inside an expression such as lower(email), date_trunc('day', created_at) or created_at::date. */
function innerColumn(node: Ast): string[] | null {
  const direct = columnRef(node) ?? columnRef(node?.TypeCast?.arg);
  if (direct !== null || (node?.FuncCall === undefined && node?.TypeCast === undefined)) return direct;
  const found: string[][] = [];
  walk(node, (n) => {
    const c = columnRef(n);
    if (c !== null) found.push(c);
  });
  return found.length === 1 ? (found[0] as string[]) : null;
}

/** LIMIT $n and OFFSET $n take page sizes, not column values: a page of 10 after 50 rows. */
function pagingParams(stmt: Ast): Map<number, string> {
  const out = new Map<number, string>();
  walk(stmt, (n) => {
    const s = n.SelectStmt;
    if (s === undefined) return;
    const limit = paramNumber(s.limitCount);
    const offset = paramNumber(s.limitOffset);
    if (limit !== null) out.set(limit, '10');
    if (offset !== null) out.set(offset, '50');
  });
  return out;
}

/** The column each $n is compared with, found anywhere in the statement. */
function paramColumns(stmt: Ast): Map<number, string[]> {
  const out = new Map<number, string[]>();
  walk(stmt, (n) => {
    const e = n.A_Expr;
    if (e === undefined) return;
    const pairs: [Ast, Ast][] = [[e.lexpr, e.rexpr], [e.rexpr, e.lexpr]];
    for (const [colSide, paramSide] of pairs) {
      const col = innerColumn(colSide);
      if (col === null) continue;
      const params = Array.isArray(paramSide?.List?.items) ? paramSide.List.items : [paramSide];
      for (const p of params) {
        const num = paramNumber(p);
        if (num !== null && !out.has(num)) out.set(num, col);
      }
    }
  });
  return out;
}

function tablesIn(stmt: Ast): { schema: string | null; name: string; ref: string }[] {
  const out: { schema: string | null; name: string; ref: string }[] = [];
  walk(stmt, (n) => {
    const rv = n.RangeVar;
    if (rv !== undefined && typeof rv.relname === 'string') {
      out.push({ schema: rv.schemaname ?? null, name: rv.relname, ref: rv.alias?.aliasname ?? rv.relname });
    }
  });
  return out;
}

function statsFor(stmt: Ast, facts: SchemaFacts, col: readonly string[]): ColumnStats | null {
  const column = col[col.length - 1] ?? '';
  const tables = tablesIn(stmt);
  const candidates = col.length >= 2 ? tables.filter((t) => t.ref === col[col.length - 2]) : tables;
  for (const t of candidates) {
    const table = facts.table(t.schema, t.name);
    const c = table === undefined ? undefined : facts.column(table, column);
    if (c?.stats !== undefined && c.stats !== null) return c.stats;
  }
  return null;
}

/**
 * Parameter sets for a parameterized statement, drawn from pg_stats of the column each parameter
 * is compared with: the most common value, the histogram's low and high bounds and its median,
 * and NULL — the values where a rewrite's NULL handling and boundaries show.
 */
export function paramSetsFor(stmt: Ast, facts: SchemaFacts | null): ParamSetResult {
  const count = maxParam(stmt);
  if (count === 0) return { sets: [{ label: 'no parameters', values: [] }], unresolved: [] };
  const columns = paramColumns(stmt);
  const paging = pagingParams(stmt);
  const perParam: { common: string | null; low: string | null; high: string | null; median: string | null; paging?: boolean }[] = [];
  const unresolved: number[] = [];
  for (let i = 1; i <= count; i++) {
    const page = paging.get(i);
    if (page !== undefined) {
      perParam.push({ common: page, low: page, high: page, median: page, paging: true });
      continue;
    }
    const col = columns.get(i);
    const stats = col === undefined || facts === null ? null : statsFor(stmt, facts, col);
    const hist = (stats?.histogramBounds ?? []).filter((v): v is string => v !== null);
    const mcv = (stats?.mostCommonVals ?? []).filter((v): v is string => v !== null);
    const common = mcv[0] ?? hist[Math.floor(hist.length / 2)] ?? null;
    if (stats === null || common === null) unresolved.push(i);
    perParam.push({ common, low: hist[0] ?? mcv[mcv.length - 1] ?? common, high: hist[hist.length - 1] ?? mcv[1] ?? common, median: hist[Math.floor(hist.length / 2)] ?? common });
  }
  if (unresolved.length > 0) return { sets: [], unresolved };
  if (perParam.every((p) => p.paging === true)) return { sets: [{ label: 'page of 10 after 50 rows', values: perParam.map((p) => p.common) }], unresolved: [] };
  const sets: ParamSet[] = [
    { label: 'most common values', values: perParam.map((p) => p.common) },
    { label: 'histogram low bounds', values: perParam.map((p) => p.low) },
    { label: 'histogram high bounds', values: perParam.map((p) => p.high) },
    { label: 'histogram medians', values: perParam.map((p) => p.median) },
    // a BETWEEN-like pair gets the widest range in one set
    ...(count >= 2 ? [{ label: 'low/high bounds alternating', values: perParam.map((p, i) => (i % 2 === 0 ? p.low : p.high)) }] : []),
    // NULL where a column value goes; LIMIT/OFFSET keep their page size (NULL there means "no limit")
    { label: 'NULL', values: perParam.map((p) => (p.paging === true ? p.common : null)) },
  ];
  const seen = new Set<string>();
  return { sets: sets.filter((s) => (seen.has(JSON.stringify(s.values)) ? false : (seen.add(JSON.stringify(s.values)), true))), unresolved: [] };
}
