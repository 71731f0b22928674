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

/** The column each $n is compared with, found anywhere in the statement. */
function paramColumns(stmt: Ast): Map<number, string[]> {
  const out = new Map<number, string[]>();
  walk(stmt, (n) => {
    const e = n.A_Expr;
    if (e === undefined) return;
    const pairs: [Ast, Ast][] = [[e.lexpr, e.rexpr], [e.rexpr, e.lexpr]];
    for (const [colSide, paramSide] of pairs) {
      const col = columnRef(colSide) ?? columnRef(colSide?.TypeCast?.arg);
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
  const perParam: { common: string | null; low: string | null; high: string | null; median: string | null }[] = [];
  const unresolved: number[] = [];
  for (let i = 1; i <= count; i++) {
    const col = columns.get(i);
    const stats = col === undefined || facts === null ? null : statsFor(stmt, facts, col);
    const hist = (stats?.histogramBounds ?? []).filter((v): v is string => v !== null);
    const mcv = (stats?.mostCommonVals ?? []).filter((v): v is string => v !== null);
    const common = mcv[0] ?? hist[Math.floor(hist.length / 2)] ?? null;
    if (stats === null || common === null) unresolved.push(i);
    perParam.push({ common, low: hist[0] ?? mcv[mcv.length - 1] ?? common, high: hist[hist.length - 1] ?? mcv[1] ?? common, median: hist[Math.floor(hist.length / 2)] ?? common });
  }
  if (unresolved.length > 0) return { sets: [], unresolved };
  const sets: ParamSet[] = [
    { label: 'most common values', values: perParam.map((p) => p.common) },
    { label: 'histogram low bounds', values: perParam.map((p) => p.low) },
    { label: 'histogram high bounds', values: perParam.map((p) => p.high) },
    { label: 'histogram medians', values: perParam.map((p) => p.median) },
    // a BETWEEN-like pair gets the widest range in one set
    ...(count >= 2 ? [{ label: 'low/high bounds alternating', values: perParam.map((p, i) => (i % 2 === 0 ? p.low : p.high)) }] : []),
    { label: 'NULL', values: perParam.map(() => null) },
  ];
  const seen = new Set<string>();
  return { sets: sets.filter((s) => (seen.has(JSON.stringify(s.values)) ? false : (seen.add(JSON.stringify(s.values)), true))), unresolved: [] };
}
