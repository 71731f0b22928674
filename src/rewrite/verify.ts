import type pg from 'pg';
import type { Database } from '../collect/connection.ts';
import { parseSql, tryParseSql } from '../sql/index.ts';
import type { Ast } from './ast.ts';
import { columnRef, plainFromTables, walk } from './ast.ts';
import type { ParamSet } from './param-sets.ts';
import { paramSetsFor } from './param-sets.ts';
import { readOnlyCheck, SAFE_VOLATILE_FUNCTIONS } from './read-only-check.ts';
import type { RewriteCandidate } from './rule.ts';
import type { SchemaFacts } from './schema-facts.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import { coversUniqueKey } from './schema-facts.ts';
import { sampledSql } from './verify-sample.ts';

export type Row = readonly (string | null)[];

export interface ResultComparison {
  readonly paramSet: string;
  readonly params: readonly (string | null)[];
  readonly rowsBefore: number;
  readonly rowsAfter: number;
  /** compared in order (ORDER BY ends in a unique key) or as multisets */
  readonly ordered: boolean;
  readonly equal: boolean;
  /** a side returned more rows than the row cap: the comparison is not conclusive */
  readonly truncated: boolean;
  readonly columns: readonly string[];
  /** rows (up to 10) the original returns more often than the rewrite */
  readonly onlyBefore: readonly Row[];
  readonly onlyAfter: readonly Row[];
  /** ordered comparison: first position where the rows differ */
  readonly firstOrderDifference?: { readonly position: number; readonly before: Row | null; readonly after: Row | null };
}

export interface Verification {
  readonly status: 'verified' | 'unverified';
  /** why it is not verified (empty when verified) */
  readonly reasons: readonly string[];
  readonly parses: boolean;
  readonly plans: boolean | null;
  readonly executed: boolean;
  readonly costBefore: number | null;
  readonly costAfter: number | null;
  /** estimated bytes per result row (plan width) */
  readonly widthBefore?: number;
  readonly widthAfter?: number;
  readonly timeBeforeMs: number | null;
  readonly timeAfterMs: number | null;
  readonly comparisons: readonly ResultComparison[];
  readonly sample: { readonly percent: number; readonly method: string } | null;
  readonly rowCap: number;
}

export interface VerifyOptions {
  readonly facts: SchemaFacts | null;
  readonly rowCap: number;
  /** measure execution time (EXPLAIN ANALYZE, 3 runs each, median) */
  readonly analyze: boolean;
  /** compare on a TABLESAMPLE BERNOULLI sample of this many percent of every table */
  readonly samplePercent?: number;
  /** planner cost must drop below this ratio of the original's to count as cheaper */
  readonly cheaperRatio?: number;
  /** HypoPG session: btree index proposals are costed with the index created hypothetically */
  readonly whatIf?: WhatIfEngine | null;
}

/**
 * An index proposal leaves the statement as it is, so its rows cannot change: it is verified when
 * the planner, given the index hypothetically (HypoPG), picks it and the cost drops. HypoPG does
 * not model GIN/GiST costs faithfully, so only btree proposals are costed.
 */
async function verifyIndexProposal(original: string, candidate: RewriteCandidate, options: VerifyOptions, base: Omit<Verification, 'status' | 'reasons' | 'parses' | 'plans'>): Promise<Verification> {
  const ddl = (candidate.proposal ?? '').split('\n').find((l) => /^CREATE INDEX/i.test(l)) ?? '';
  const unverified = (reason: string): Verification => ({ ...base, status: 'unverified', parses: true, plans: null, reasons: [`index proposal: ${reason}`] });
  if (/USING\s+(gin|gist|brin|hash)/i.test(ddl)) return unverified('HypoPG does not model GIN/GiST costs; build the index on a staging copy and compare EXPLAIN');
  if (options.whatIf === null || options.whatIf === undefined) return unverified('HypoPG is not installed, so the index cannot be costed hypothetically; build it on a staging copy and compare EXPLAIN');
  const hypothetical = ddl.replace(/\s+CONCURRENTLY/i, '').replace(/;\s*$/, '');
  try {
    const before = await options.whatIf.cost(original);
    const after = await options.whatIf.cost(original, { create: [hypothetical] });
    const ratio = options.cheaperRatio ?? 0.98;
    const cheaper = after.totalCost < before.totalCost * ratio && after.usedIndexes.some((i) => /^<\d+>/.test(i));
    return {
      ...base,
      costBefore: round(before.totalCost),
      costAfter: round(after.totalCost),
      status: cheaper ? 'verified' : 'unverified',
      parses: true,
      plans: true,
      reasons: cheaper ? [] : [`index proposal: not cheaper with the index created hypothetically (HypoPG planner cost ${round(before.totalCost)} → ${round(after.totalCost)})`],
    };
  } catch (error) {
    return unverified(`HypoPG could not cost it: ${describeDbError(error)}`);
  }
}

const MAX_REPORTED_ROWS = 10;
const ANALYZE_RUNS = 3;

interface PgError {
  message?: string;
  code?: string;
}

function describeDbError(error: unknown): string {
  const e = error as PgError;
  if (e.code === '57014') return 'statement timeout';
  return `${e.message ?? String(error)}${e.code === undefined ? '' : ` (SQLSTATE ${e.code})`}`;
}

/** ORDER BY fully determines the order: its columns include a NOT NULL unique key of the only table. */
export function orderIsDeterministic(stmt: Ast, facts: SchemaFacts | null): boolean {
  const s = stmt?.SelectStmt;
  const sort = s?.sortClause;
  if (facts === null || !Array.isArray(sort) || sort.length === 0) return false;
  const from = plainFromTables(s);
  if (from === null || from.length !== 1) return false;
  const t = from[0];
  const table = t === undefined ? undefined : facts.table(t.schema, t.name);
  if (table === undefined || t === undefined) return false;
  const cols = new Set<string>();
  for (const item of sort) {
    const parts = columnRef(item.SortBy?.node);
    if (parts === null || (parts.length === 2 && parts[0] !== t.ref) || parts.length > 2) continue;
    cols.add(parts[parts.length - 1] ?? '');
  }
  return coversUniqueKey(facts, table, cols) !== null;
}

function rowKey(row: Row): string {
  return JSON.stringify(row);
}

/** Multiset (or ordered) comparison; NULL is a value of its own, never equal to a string. */
export function compareRows(before: readonly Row[], after: readonly Row[], ordered: boolean): Pick<ResultComparison, 'equal' | 'onlyBefore' | 'onlyAfter' | 'firstOrderDifference'> {
  const counts = new Map<string, { row: Row; n: number }>();
  for (const r of before) {
    const k = rowKey(r);
    const e = counts.get(k);
    if (e === undefined) counts.set(k, { row: r, n: 1 });
    else e.n++;
  }
  for (const r of after) {
    const k = rowKey(r);
    const e = counts.get(k);
    if (e === undefined) counts.set(k, { row: r, n: -1 });
    else e.n--;
  }
  const onlyBefore: Row[] = [];
  const onlyAfter: Row[] = [];
  for (const { row, n } of counts.values()) {
    for (let i = 0; i < Math.abs(n) && (n > 0 ? onlyBefore : onlyAfter).length < MAX_REPORTED_ROWS; i++) (n > 0 ? onlyBefore : onlyAfter).push(row);
  }
  const multisetEqual = [...counts.values()].every((e) => e.n === 0);
  if (!ordered) return { equal: multisetEqual, onlyBefore, onlyAfter };
  const length = Math.max(before.length, after.length);
  for (let i = 0; i < length; i++) {
    const b = before[i];
    const a = after[i];
    if (b === undefined || a === undefined || rowKey(b) !== rowKey(a)) {
      return { equal: false, onlyBefore, onlyAfter, firstOrderDifference: { position: i + 1, before: b ?? null, after: a ?? null } };
    }
  }
  return { equal: true, onlyBefore, onlyAfter };
}

interface Fetched {
  readonly rows: Row[];
  readonly columns: string[];
  readonly truncated: boolean;
}

const rawText = { getTypeParser: () => (value: string) => value };

/** Runs fn so that an error (a statement timeout) leaves the surrounding read-only transaction usable. */
async function guarded<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('SAVEPOINT dbo_verify_step');
  try {
    const result = await fn();
    await client.query('RELEASE SAVEPOINT dbo_verify_step');
    return result;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT dbo_verify_step').catch(() => undefined);
    throw error;
  }
}

async function fetchCapped(client: pg.PoolClient, sql: string, params: readonly (string | null)[], cap: number): Promise<Fetched> {
  return guarded(client, () => fetchCappedUnguarded(client, sql, params, cap));
}

async function fetchCappedUnguarded(client: pg.PoolClient, sql: string, params: readonly (string | null)[], cap: number): Promise<Fetched> {
  // a cursor keeps the statement's own order and stops after cap + 1 rows
  // on an error the caller's savepoint rollback closes the cursor (and keeps the server's error)
  await client.query({ text: `DECLARE dbo_verify NO SCROLL CURSOR FOR ${sql}`, values: [...params] });
  const r = await client.query({ text: `FETCH FORWARD ${cap + 1} FROM dbo_verify`, rowMode: 'array', types: rawText });
  await client.query('CLOSE dbo_verify');
  const rows = (r.rows as (string | null)[][]).slice(0, cap);
  return { rows, columns: r.fields.map((f) => f.name), truncated: r.rows.length > cap };
}

async function planCost(client: pg.PoolClient, sql: string, params: readonly (string | null)[]): Promise<{ cost: number; width: number }> {
  const r = await client.query({ text: `EXPLAIN (FORMAT JSON) ${sql}`, values: [...params] });
  const plan = (r.rows[0] as { 'QUERY PLAN': { Plan: { 'Total Cost': number; 'Plan Width': number } }[] })['QUERY PLAN'][0];
  return { cost: plan?.Plan['Total Cost'] ?? Number.NaN, width: plan?.Plan['Plan Width'] ?? Number.NaN };
}

async function measuredMs(client: pg.PoolClient, sql: string, params: readonly (string | null)[]): Promise<number> {
  const r = await guarded(client, () => client.query({ text: `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values: [...params] }));
  const plan = (r.rows[0] as { 'QUERY PLAN': { 'Execution Time': number; 'Planning Time': number }[] })['QUERY PLAN'][0];
  return (plan?.['Execution Time'] ?? Number.NaN) + (plan?.['Planning Time'] ?? 0);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function volatileFunctions(client: pg.PoolClient, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const r = await client.query<{ proname: string }>(
    "SELECT DISTINCT proname FROM pg_proc WHERE proname = ANY($1::text[]) AND provolatile = 'v' ORDER BY 1",
    [[...names]],
  );
  return r.rows.map((x) => x.proname).filter((n) => !SAFE_VOLATILE_FUNCTIONS.has(n));
}

/**
 * Checks a rewrite against the database: both statements parse and plan, return the same rows
 * (multisets, ordered when ORDER BY ends in a unique key, NULL-correct) for every parameter set,
 * and the rewrite plans cheaper (and, with analyze, runs faster). Read-only sessions only; a
 * statement that could write is never executed.
 */
export async function verifyRewrite(db: Database, original: string, candidate: RewriteCandidate, options: VerifyOptions): Promise<Verification> {
  const reasons: string[] = [];
  const base = {
    executed: false,
    costBefore: null,
    costAfter: null,
    timeBeforeMs: null,
    timeAfterMs: null,
    comparisons: [],
    sample: null,
    rowCap: options.rowCap,
  };
  if (candidate.after === null) return verifyIndexProposal(original, candidate, options, base);
  const parsedAfter = tryParseSql(candidate.after);
  if (!parsedAfter.ok) return { ...base, status: 'unverified', parses: false, plans: null, reasons: [`the rewrite does not parse: ${parsedAfter.error.message}`] };
  const beforeAst: Ast = parseSql(original).stmts?.[0]?.stmt;
  const afterAst: Ast = parsedAfter.result.stmts?.[0]?.stmt;
  const compareAst: Ast = candidate.compareOriginal === undefined ? beforeAst : parseSql(candidate.compareOriginal).stmts?.[0]?.stmt;
  const compareSql = candidate.compareOriginal ?? original;

  for (const [label, ast] of [['original', beforeAst], ['rewrite', afterAst]] as const) {
    const check = readOnlyCheck(ast);
    if (check.refusal !== null) {
      return { ...base, status: 'unverified', parses: true, plans: null, reasons: [`not executed: the ${label} could write: ${check.refusal}`] };
    }
  }
  const functions = [...new Set([...readOnlyCheck(beforeAst).functions, ...readOnlyCheck(afterAst).functions])];
  const params = paramSetsFor(beforeAst, options.facts);
  const sample = options.samplePercent === undefined ? null : { percent: options.samplePercent, method: `TABLESAMPLE BERNOULLI (${options.samplePercent}) REPEATABLE (7) on every table of both statements` };
  const isTable = (schema: string | null, name: string): boolean => options.facts?.table(schema, name) !== undefined;
  const runBefore = sample === null ? compareSql : sampledSql(compareAst, sample.percent, isTable);
  const runAfter = sample === null ? candidate.after : sampledSql(afterAst, sample.percent, isTable);
  const ordered = orderIsDeterministic(compareAst, options.facts) && orderIsDeterministic(afterAst, options.facts);

  return db.inRolledBackTransaction(async (client) => {
    const unsafe = await volatileFunctions(client, functions);
    if (unsafe.length > 0) {
      return { ...base, status: 'unverified' as const, parses: true, plans: null, reasons: [`not executed: calls volatile function(s) ${unsafe.join(', ')} that could have side effects`] };
    }
    let sets: readonly ParamSet[] = params.sets;
    if (params.unresolved.length > 0) {
      reasons.push(`no pg_stats values for ${params.unresolved.map((n) => `$${n}`).join(', ')}: parameter sets could not be drawn`);
      sets = [];
    }
    if (sets.length === 0) {
      return { ...base, status: 'unverified' as const, parses: true, plans: null, reasons: [...reasons, 'nothing was executed without parameter values'] };
    }
    // keyset pagination: the cursor values come from the original's own rows
    const probeRows = new Map<ParamSet, (string | null)[]>();
    if (candidate.probe !== undefined) {
      const kept: ParamSet[] = [];
      for (const s of sets) {
        let row: (string | null)[] | undefined;
        try {
          const probe = candidate.probe;
          const r = await guarded(client, () => client.query({ text: probe, values: [...s.values], rowMode: 'array', types: rawText }));
          row = r.rows[0] as (string | null)[] | undefined;
        } catch (error) {
          reasons.push(`could not read the cursor row for ${s.label}: ${describeDbError(error)}`);
          continue;
        }
        if (row === undefined) reasons.push(`the page before OFFSET is empty for ${s.label}: no cursor to compare keyset pagination with`);
        else {
          probeRows.set(s, row);
          kept.push(s);
        }
      }
      sets = kept;
    }
    const afterValues = (s: ParamSet): (string | null)[] => [...s.values, ...(probeRows.get(s) ?? candidate.afterParams ?? [])];
    const beforeValues = (s: ParamSet): (string | null)[] => [...s.values];

    const first: ParamSet = sets[0] ?? { label: 'none', values: [] };
    let costBefore: number | null = null;
    let costAfter: number | null = null;
    let widthBefore = Number.NaN;
    let widthAfter = Number.NaN;
    try {
      ({ cost: costBefore, width: widthBefore } = await planCost(client, original, beforeValues(first)));
    } catch (error) {
      return { ...base, status: 'unverified' as const, parses: true, plans: false, reasons: [`the original does not plan: ${describeDbError(error)}`] };
    }
    try {
      ({ cost: costAfter, width: widthAfter } = await planCost(client, candidate.after as string, afterValues(first)));
    } catch (error) {
      return { ...base, costBefore, status: 'unverified' as const, parses: true, plans: false, reasons: [`the rewrite does not plan: ${describeDbError(error)}`] };
    }

    const runComparisons = async (before: string, after: string): Promise<ResultComparison[]> => {
      const out: ResultComparison[] = [];
      for (const s of sets) {
        try {
          const b = await fetchCapped(client, before, beforeValues(s), options.rowCap);
          const a = await fetchCapped(client, after, afterValues(s), options.rowCap);
          const truncated = b.truncated || a.truncated;
          const sameShape = b.columns.length === a.columns.length;
          // the first rowCap rows of two statements prove nothing either way: no verdict on rows then
          const cmp = !sameShape || truncated ? { equal: false, onlyBefore: [], onlyAfter: [] } : compareRows(b.rows, a.rows, ordered);
          if (!sameShape) reasons.push(`the rewrite returns ${a.columns.length} columns, the original ${b.columns.length}`);
          out.push({ paramSet: s.label, params: s.values, rowsBefore: b.rows.length, rowsAfter: a.rows.length, ordered, truncated, columns: b.columns, ...cmp });
        } catch (error) {
          reasons.push(`could not run both statements (${s.label}): ${describeDbError(error)}`);
          break;
        }
      }
      return out;
    };
    let comparisons = await runComparisons(runBefore, runAfter);
    let usedSample = sample;
    if (sample === null && comparisons.some((c) => c.truncated)) {
      // a large result: compare on a deterministic sample sized to fit the row cap, and say so
      const biggest = Math.max(1, ...referencedTables(compareAst).map((t) => options.facts?.table(t.schema, t.name)?.rowEstimate ?? 0));
      const percent = Math.min(50, Math.max(0.01, Math.round(((100 * options.rowCap) / 2 / biggest) * 100) / 100));
      usedSample = { percent, method: `automatic TABLESAMPLE BERNOULLI (${percent}) REPEATABLE (7) on every table of both statements, because a full result exceeded --row-cap ${options.rowCap}` };
      comparisons = await runComparisons(sampledSql(compareAst, percent, isTable), sampledSql(afterAst, percent, isTable));
    }
    const differing = comparisons.filter((c) => !c.equal && !c.truncated && c.columns.length > 0);
    if (differing.length > 0) {
      const d = differing[0] as ResultComparison;
      const rows = [...d.onlyBefore.map((r) => `original only: (${r.map((v) => v ?? 'NULL').join(', ')})`), ...d.onlyAfter.map((r) => `rewrite only: (${r.map((v) => v ?? 'NULL').join(', ')})`)];
      const order = d.firstOrderDifference === undefined || rows.length > 0 ? '' : ` (same rows, different order from row ${d.firstOrderDifference.position})`;
      reasons.push(`results differ${sets.length > 1 ? ` for ${d.paramSet}` : ''}: ${d.rowsBefore} rows before, ${d.rowsAfter} after${order}${rows.length > 0 ? ` — on these rows: ${rows.slice(0, 6).join('; ')}` : ''}`);
      const s = compareAst?.SelectStmt;
      if (!ordered && s?.limitCount !== undefined && Array.isArray(s.sortClause)) {
        reasons.push('ORDER BY does not end in a unique key, so LIMIT may keep different rows among ties in either statement: add the key to ORDER BY to make the comparison conclusive');
      }
    }
    if (comparisons.some((c) => c.truncated)) reasons.push(`a result has more than ${options.rowCap} rows (--row-cap): the comparison is not conclusive; raise --row-cap or use --verify-sample`);
    if (comparisons.length === 0 && reasons.length === 0) reasons.push('no result comparison could be run');

    let timeBeforeMs: number | null = null;
    let timeAfterMs: number | null = null;
    if (options.analyze) {
      const tb: number[] = [];
      const ta: number[] = [];
      try {
        // alternate the two so cache warm-up favours neither
        for (let i = 0; i < ANALYZE_RUNS; i++) {
          tb.push(await measuredMs(client, original, beforeValues(first)));
          ta.push(await measuredMs(client, candidate.after as string, afterValues(first)));
        }
        timeBeforeMs = round(median(tb));
        timeAfterMs = round(median(ta));
      } catch (error) {
        reasons.push(`--analyze could not time both statements: ${describeDbError(error)}`);
      }
    }
    const ratio = options.cheaperRatio ?? 0.98;
    if (candidate.benefit === 'width') {
      if (!(widthAfter < widthBefore) || costAfter > costBefore * 1.02) reasons.push(`not cheaper: ${widthBefore} → ${widthAfter} bytes per row, planner cost ${round(costBefore)} → ${round(costAfter)}`);
    } else if (!(costAfter < costBefore * ratio)) {
      reasons.push(`not cheaper: planner cost ${round(costBefore)} before, ${round(costAfter)} after`);
    }
    if (timeBeforeMs !== null && timeAfterMs !== null && !(timeAfterMs < timeBeforeMs)) {
      reasons.push(`not faster when measured: ${timeBeforeMs} ms before, ${timeAfterMs} ms after (median of ${ANALYZE_RUNS})`);
    }
    if (candidate.semantics === 'changes-results') reasons.unshift(`changes results by design: ${candidate.semanticsNote ?? 'the rewrite is not equivalent'}`);
    const unknown = candidate.preconditions.filter((p) => p.holds === null);
    if (unknown.length > 0) reasons.push(`precondition not checked: ${unknown.map((p) => p.fact).join('; ')}`);
    if (usedSample !== null && reasons.length === 0 && candidate.preconditions.some((p) => /foreign key/i.test(p.fact))) {
      reasons.push('compared on a sample, but the rewrite relies on a foreign key that a sample does not preserve');
    }
    return {
      status: reasons.length === 0 ? ('verified' as const) : ('unverified' as const),
      reasons,
      parses: true,
      plans: true,
      executed: comparisons.length > 0,
      costBefore: round(costBefore),
      costAfter: round(costAfter),
      widthBefore,
      widthAfter,
      timeBeforeMs,
      timeAfterMs,
      comparisons,
      sample: usedSample,
      rowCap: options.rowCap,
    };
  });
}

function referencedTables(stmt: Ast): { schema: string | null; name: string }[] {
  const out: { schema: string | null; name: string }[] = [];
  walk(stmt, (n) => {
    const rv = n.RangeVar;
    if (rv !== undefined && typeof rv.relname === 'string') out.push({ schema: rv.schemaname ?? null, name: rv.relname });
  });
  return out;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
