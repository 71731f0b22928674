import type { ColumnStats, Snapshot } from '../model/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- libpg_query's AST is untyped JSON */
type Ast = any;

/** Where a $n is used: compared with a column, or a LIMIT/OFFSET. */
export type ParamUse =
  | { readonly kind: 'column'; readonly relation: string | null; readonly column: string }
  | { readonly kind: 'limit' }
  | { readonly kind: 'offset' };

/** Draws one value per call from what the column really holds. */
export type ValueSampler = (random: () => number) => string;

function walk(node: Ast, visit: (n: Ast) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const c of node) walk(c, visit);
    return;
  }
  visit(node);
  for (const child of Object.values(node)) if (child !== null && typeof child === 'object') walk(child, visit);
}

function paramNumber(node: Ast): number | null {
  const n = node?.ParamRef?.number ?? node?.TypeCast?.arg?.ParamRef?.number;
  return typeof n === 'number' ? n : null;
}

function columnRef(node: Ast): string[] | null {
  const fields = (node?.ColumnRef ?? node?.TypeCast?.arg?.ColumnRef)?.fields;
  if (!Array.isArray(fields)) return null;
  const parts = fields.map((f: Ast) => f?.String?.sval);
  return parts.every((p: unknown) => typeof p === 'string') ? (parts as string[]) : null;
}

/** Alias (or bare name) → relation name, for every table in the statement. */
function relations(stmt: Ast): Map<string, string> {
  const out = new Map<string, string>();
  walk(stmt, (n) => {
    const rv = n.RangeVar;
    if (rv === undefined || typeof rv.relname !== 'string') return;
    const name = typeof rv.schemaname === 'string' ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    out.set(rv.alias?.aliasname ?? rv.relname, name);
  });
  return out;
}

/** The use of each $n: the column it is compared with (=, <, BETWEEN, IN, ANY), LIMIT or OFFSET. */
export function paramUses(stmt: Ast): Map<number, ParamUse> {
  const out = new Map<number, ParamUse>();
  const rels = relations(stmt);
  const only = rels.size === 1 ? ([...rels.values()][0] ?? null) : null;
  walk(stmt, (n) => {
    const lc = paramNumber(n.limitCount);
    if (lc !== null && !out.has(lc)) out.set(lc, { kind: 'limit' });
    const lo = paramNumber(n.limitOffset);
    if (lo !== null && !out.has(lo)) out.set(lo, { kind: 'offset' });
    const e = n.A_Expr;
    if (e === undefined) return;
    for (const [colSide, paramSide] of [
      [e.lexpr, e.rexpr],
      [e.rexpr, e.lexpr],
    ] as [Ast, Ast][]) {
      const col = columnRef(colSide);
      if (col === null) continue;
      const column = col[col.length - 1] ?? '';
      const relation = col.length >= 2 ? (rels.get(col[col.length - 2] ?? '') ?? null) : only;
      const items: Ast[] = Array.isArray(paramSide?.List?.items) ? paramSide.List.items : [paramSide?.ArrayExpr?.elements ?? paramSide].flat();
      for (const p of items) {
        const num = paramNumber(p);
        if (num !== null && !out.has(num)) out.set(num, { kind: 'column', relation, column });
      }
    }
  });
  return out;
}

function statsOf(snapshot: Snapshot, relation: string | null, column: string): ColumnStats | null {
  const [schema, name] = relation === null ? [null, null] : relation.includes('.') ? relation.split('.', 2) : [null, relation];
  for (const t of snapshot.tables) {
    if (name !== null && (t.name !== name || (schema !== null && t.schema !== schema))) continue;
    const c = t.columns.find((col) => col.name === column);
    if (c?.stats !== null && c?.stats !== undefined) return c.stats;
  }
  return null;
}

/**
 * A sampler that follows the column's distribution as pg_stats describes it: a most common value
 * with its frequency, else a histogram bound (the bounds split the other rows into equal parts).
 */
export function columnSampler(stats: ColumnStats): ValueSampler | null {
  const mcv = stats.mostCommonVals ?? [];
  const freqs = stats.mostCommonFreqs ?? [];
  const hist = (stats.histogramBounds ?? []).filter((v): v is string => v !== null);
  const common: { value: string; freq: number }[] = [];
  mcv.forEach((v, i) => {
    if (v !== null) common.push({ value: v, freq: freqs[i] ?? 0 });
  });
  if (common.length === 0 && hist.length === 0) return null;
  const mcvShare = hist.length === 0 ? 1 : common.reduce((s, c) => s + c.freq, 0);
  return (random) => {
    let r = random();
    if (r < mcvShare && common.length > 0) {
      for (const c of common) {
        r -= c.freq * (hist.length === 0 ? 1 / mcvShare : 1);
        if (r < 0) return c.value;
      }
      return common[common.length - 1]?.value ?? '';
    }
    return hist[Math.floor(random() * hist.length)] ?? hist[0] ?? '';
  };
}

export interface ParamPlan {
  /** one sampler per $n, in order; null when the statement has no parameters */
  readonly samplers: readonly ValueSampler[];
  /** $n no value could be found for */
  readonly unresolved: readonly number[];
  readonly note: string;
}

export function maxParam(stmt: Ast): number {
  let max = 0;
  walk(stmt, (n) => {
    const p = n.ParamRef?.number;
    if (typeof p === 'number' && p > max) max = p;
  });
  return max;
}

/** How to fill each $n of a statement with realistic values, from the column statistics of the copy. */
export function paramPlan(stmt: Ast, snapshot: Snapshot): ParamPlan {
  const count = maxParam(stmt);
  if (count === 0) return { samplers: [], unresolved: [], note: 'constants as written' };
  const uses = paramUses(stmt);
  const samplers: ValueSampler[] = [];
  const unresolved: number[] = [];
  for (let i = 1; i <= count; i++) {
    const use = uses.get(i);
    if (use?.kind === 'limit') samplers.push(() => '20');
    else if (use?.kind === 'offset') samplers.push(() => '0');
    else {
      const stats = use === undefined ? null : statsOf(snapshot, use.relation, use.column);
      const sampler = stats === null ? null : columnSampler(stats);
      if (sampler === null) unresolved.push(i);
      else samplers.push(sampler);
    }
  }
  return { samplers, unresolved, note: `${count} parameter(s) drawn from pg_stats (most common values by frequency, histogram bounds)` };
}
