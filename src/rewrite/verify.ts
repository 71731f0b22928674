import type pg from 'pg';
import type { Database } from '../collect/connection.ts';
import { parseSql, tryParseSql } from '../sql/index.ts';
import type { Ast } from './ast.ts';
import { columnRef, plainFromTables, walk } from './ast.ts';
import type { ParamSet } from './param-sets.ts';
import { paramSetsFor } from './param-sets.ts';
import { sideEffects } from './statement-side-effects.ts';
import { readOnlyCheck } from './read-only-check.ts';
import { planOuterRestriction } from './restrict-outer.ts';
import type { RewriteCandidate } from './rule.ts';
import { compareRows, describeDbError, fetchCapped, guarded, isTimeout, measuredMs, median, planCost, rawText, round } from './run-statements.ts';
import type { SchemaFacts } from './schema-facts.ts';
import { coversUniqueKey } from './schema-facts.ts';
import { supportingIndexes } from './supporting-indexes.ts';
import type { ResultComparison, Verification, VerifyOptions, VerifySession } from './verification.ts';
import { DEFAULT_VERIFY_BUDGET_MS, FULL_DATA_SHARE, seconds, setStatementTimeout, VerifyBudget } from './verify-budget.ts';
import { verifyIndexProposal } from './verify-index-proposal.ts';
import type { RestrictedProof } from './verify-restricted.ts';
import { verifyRestricted } from './verify-restricted.ts';
import { sampledSql } from './verify-sample.ts';
import { checkWithIndexes } from './verify-with-indexes.ts';

export type { ResultComparison, Row, Verification, VerifyOptions, VerifySession } from './verification.ts';
export { compareRows } from './run-statements.ts';

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

/** A LIMIT or OFFSET whose ORDER BY does not end in a unique key, anywhere in the statement: its rows are not determined. */
function undeterminedLimit(stmt: Ast, facts: SchemaFacts | null): boolean {
  let found = false;
  walk(stmt, (n) => {
    const s = n.SelectStmt;
    if (s !== undefined && (s.limitCount !== undefined || s.limitOffset !== undefined) && !orderIsDeterministic({ SelectStmt: s }, facts)) found = true;
    return !found;
  });
  return found;
}

const ANALYZE_RUNS = 3;
/** an original planned this expensive cannot finish within any budget we allow: go straight to subsets */
const HOPELESS_COST = 100_000_000;
/** client-side times of single runs on a shared machine: only a gross slowdown counts (the planner cost, also with the indexes the original needs, is the main gate) */
const SLOWER_RATIO = 1.5;
const SLOWER_MARGIN_MS = 50;
/** below this the client-side timing of one run is mostly noise (round trips, a shared machine) */
const MEASURABLE_MS = 100;

interface Run {
  readonly client: pg.PoolClient;
  readonly sets: readonly ParamSet[];
  readonly beforeValues: (s: ParamSet) => (string | null)[];
  readonly afterValues: (s: ParamSet) => (string | null)[];
  readonly rowCap: number;
  readonly ordered: boolean;
  readonly reasons: string[];
}

interface Compared {
  readonly comparisons: ResultComparison[];
  /** the statement timeout (ms) a statement hit, if one did */
  readonly timedOutAfterMs: number | null;
  readonly beforeMs: number;
  readonly afterMs: number;
}

async function runComparisons(run: Run, before: string, after: string, timeoutMs: number): Promise<Compared> {
  const out: ResultComparison[] = [];
  let beforeMs = 0;
  let afterMs = 0;
  await setStatementTimeout(run.client, timeoutMs);
  for (const s of run.sets) {
    try {
      const b = await fetchCapped(run.client, before, run.beforeValues(s), run.rowCap);
      const a = await fetchCapped(run.client, after, run.afterValues(s), run.rowCap);
      beforeMs += b.elapsedMs;
      afterMs += a.elapsedMs;
      const truncated = b.truncated || a.truncated;
      const sameShape = b.columns.length === a.columns.length;
      // the first rowCap rows of two statements prove nothing either way: no verdict on rows then
      const cmp = !sameShape || truncated ? { equal: false, onlyBefore: [], onlyAfter: [] } : compareRows(b.rows, a.rows, run.ordered);
      if (!sameShape) run.reasons.push(`the rewrite returns ${a.columns.length} columns, the original ${b.columns.length}`);
      out.push({ paramSet: s.label, params: s.values, rowsBefore: b.rows.length, rowsAfter: a.rows.length, ordered: run.ordered, truncated, columns: b.columns, ...cmp });
    } catch (error) {
      if (isTimeout(error)) return { comparisons: out, timedOutAfterMs: timeoutMs, beforeMs, afterMs };
      run.reasons.push(`could not run both statements (${s.label}): ${describeDbError(error)}`);
      break;
    }
  }
  return { comparisons: out, timedOutAfterMs: null, beforeMs, afterMs };
}

function differenceReasons(comparisons: readonly ResultComparison[], sets: number, compareAst: Ast, ordered: boolean): string[] {
  const differing = comparisons.filter((c) => !c.equal && !c.truncated && c.columns.length > 0);
  if (differing.length === 0) return [];
  const d = differing[0] as ResultComparison;
  const rows = [...d.onlyBefore.map((r) => `original only: (${r.map((v) => v ?? 'NULL').join(', ')})`), ...d.onlyAfter.map((r) => `rewrite only: (${r.map((v) => v ?? 'NULL').join(', ')})`)];
  const order = d.firstOrderDifference === undefined || rows.length > 0 ? '' : ` (same rows, different order from row ${d.firstOrderDifference.position})`;
  const out = [`results differ${sets > 1 ? ` for ${d.paramSet}` : ''}: ${d.rowsBefore} rows before, ${d.rowsAfter} after${order}${rows.length > 0 ? ` — on these rows: ${rows.slice(0, 6).join('; ')}` : ''}`];
  const s = compareAst?.SelectStmt;
  if (!ordered && s?.limitCount !== undefined && Array.isArray(s.sortClause)) {
    out.push('ORDER BY does not end in a unique key, so LIMIT may keep different rows among ties in either statement: add the key to ORDER BY to make the comparison conclusive');
  }
  return out;
}

function restrictedReasons(proof: RestrictedProof, compareAst: Ast, ordered: boolean): string[] {
  const bad = proof.samples.find((s) => !s.equal);
  if (bad !== undefined) {
    const c: ResultComparison = { paramSet: `sample ${bad.seed} (${bad.percent} % of ${proof.table})`, params: [], rowsBefore: bad.rowsBefore, rowsAfter: bad.rowsAfter, ordered, equal: false, truncated: false, columns: ['?'], onlyBefore: bad.onlyBefore, onlyAfter: bad.onlyAfter };
    return differenceReasons([c], 2, compareAst, ordered);
  }
  if (proof.samples.length === 0) return [`${proof.why}; ${proof.stopped ?? 'no sample of the outer table could be compared'}`];
  if (proof.rowsCompared === 0) return [`${proof.why}; the ${proof.samples.length} sample(s) of ${proof.table} returned no rows, so nothing was proven`];
  return [];
}

interface Prepared {
  readonly beforeAst: Ast;
  readonly afterAst: Ast;
  readonly compareAst: Ast;
  readonly compareSql: string;
  readonly after: string;
}

function prepare(original: string, candidate: RewriteCandidate, base: Omit<Verification, 'status' | 'reasons' | 'parses' | 'plans'>): Prepared | Verification {
  const after = candidate.after as string;
  const parsedAfter = tryParseSql(after);
  if (!parsedAfter.ok) return { ...base, status: 'unverified', parses: false, plans: null, reasons: [`the rewrite does not parse: ${parsedAfter.error.message}`] };
  const beforeAst: Ast = parseSql(original).stmts?.[0]?.stmt;
  const afterAst: Ast = parsedAfter.result.stmts?.[0]?.stmt;
  for (const [label, ast] of [['original', beforeAst], ['rewrite', afterAst]] as const) {
    const check = readOnlyCheck(ast);
    if (check.refusal !== null) return { ...base, status: 'unverified', parses: true, plans: null, reasons: [`not executed: the ${label} could write: ${check.refusal}`] };
  }
  const compareAst: Ast = candidate.compareOriginal === undefined ? beforeAst : parseSql(candidate.compareOriginal).stmts?.[0]?.stmt;
  return { beforeAst, afterAst, compareAst, compareSql: candidate.compareOriginal ?? original, after };
}

/**
 * Checks a rewrite against the database: both statements parse and plan, return the same rows
 * (multisets, ordered when ORDER BY ends in a unique key, NULL-correct) for every parameter set,
 * the rewrite plans cheaper — also once the indexes the original needs exist — and is not slower
 * when measured. When the original cannot finish on the full data within the budget, both run on
 * the same subsets of the outer table. Read-only sessions only; a statement that could write is
 * never executed. The whole check ends within `budgetMs`.
 */
export async function verifyRewrite(db: Database, original: string, candidate: RewriteCandidate, options: VerifyOptions): Promise<Verification> {
  const session: VerifySession = options.session ?? { budget: new VerifyBudget(options.budgetMs ?? DEFAULT_VERIFY_BUDGET_MS), originalTooSlow: null };
  const budget = session.budget;
  const base = { executed: false, costBefore: null, costAfter: null, timeBeforeMs: null, timeAfterMs: null, comparisons: [], sample: null, rowCap: options.rowCap, budgetMs: budget.totalMs };
  if (candidate.after === null) return verifyIndexProposal(original, candidate, options, base);
  const prepared = prepare(original, candidate, base);
  if (!('compareSql' in prepared)) return prepared;
  const { beforeAst, afterAst, compareAst, compareSql, after } = prepared;
  const params = paramSetsFor(beforeAst, options.facts);
  const ordered = orderIsDeterministic(compareAst, options.facts) && orderIsDeterministic(afterAst, options.facts);
  const reasons: string[] = [];

  const result = await db.inRolledBackTransaction(async (client): Promise<Verification> => {
    // every statement of this verification, catalog reads and cursor probes included, ends within the budget
    await setStatementTimeout(client, budget.stepMs(1, db.statementTimeoutMs));
    let unsafe: string[];
    try {
      unsafe = await sideEffects(client, [original, after, compareSql]);
    } catch (error) {
      // nothing runs unless the check said it may: a check cut short by the timeout leaves the rewrite unverified
      if (!isTimeout(error)) throw error;
      return { ...base, status: 'unverified', parses: true, plans: null, reasons: ['not executed: the side-effect check of both statements did not finish within the statement timeout (raise --statement-timeout)'] };
    }
    if (unsafe.length > 0) {
      return { ...base, status: 'unverified', parses: true, plans: null, reasons: [`not executed: the statement ${unsafe.join('; ')}`] };
    }
    const sets = await parameterSets(client, candidate, params, reasons);
    if (sets.length === 0) return { ...base, status: 'unverified', parses: true, plans: null, reasons: [...reasons, 'nothing was executed without parameter values'] };
    const probeRows = sets.probeRows;
    const run: Run = {
      client,
      sets,
      beforeValues: (s) => [...s.values],
      afterValues: (s) => [...keptValues(s.values, candidate), ...(probeRows.get(s) ?? candidate.afterParams ?? [])],
      rowCap: options.rowCap,
      ordered,
      reasons,
    };
    const first = sets[0] as ParamSet;
    let planned;
    try {
      planned = { before: await planCost(client, original, run.beforeValues(first)) };
    } catch (error) {
      return { ...base, status: 'unverified', parses: true, plans: false, reasons: [`the original does not plan: ${describeDbError(error)}`] };
    }
    let afterPlan;
    try {
      afterPlan = await planCost(client, after, run.afterValues(first));
    } catch (error) {
      return { ...base, costBefore: round(planned.before.cost), status: 'unverified', parses: true, plans: false, reasons: [`the rewrite does not plan: ${describeDbError(error)}`] };
    }
    const costBefore = planned.before.cost;
    const costAfter = afterPlan.cost;
    const ratio = options.cheaperRatio ?? 0.98;
    const planCheaper = candidate.benefit === 'width' ? afterPlan.width < planned.before.width : costAfter < costBefore * ratio;
    const skipRows = options.rowsOnlyWhenCheaper === true && !planCheaper;
    const rows = await compareAll(db, run, { options, session, compareAst, afterAst, compareSql, after, costBefore, costAfter, skipRows });
    const timing = options.analyze ? await analyzeTimes(run, original, after, budget, db.statementTimeoutMs) : null;

    if (candidate.benefit === 'width') {
      if (!(afterPlan.width < planned.before.width) || costAfter > costBefore * 1.02) reasons.push(`not cheaper: ${planned.before.width} → ${afterPlan.width} bytes per row, planner cost ${round(costBefore)} → ${round(costAfter)}`);
    } else if (!(costAfter < costBefore * ratio)) {
      reasons.push(`not cheaper: planner cost ${round(costBefore)} before, ${round(costAfter)} after`);
    }
    if (timing !== null && !(timing.afterMs < timing.beforeMs)) {
      reasons.push(`not faster when measured: ${timing.beforeMs} ms before, ${timing.afterMs} ms after (median of ${ANALYZE_RUNS})`);
    }
    const m = rows.measured;
    if (timing === null && m !== null && Math.max(m.beforeMs, m.afterMs) >= MEASURABLE_MS && m.afterMs > m.beforeMs * SLOWER_RATIO + SLOWER_MARGIN_MS) {
      reasons.push(`slower when measured on ${m.on}: ${m.beforeMs} ms before, ${m.afterMs} ms after`);
    }
    return {
      status: 'unverified',
      reasons,
      parses: true,
      plans: true,
      executed: rows.comparisons.length > 0 || (rows.restricted?.samples.length ?? 0) > 0,
      costBefore: round(costBefore),
      costAfter: round(costAfter),
      widthBefore: planned.before.width,
      widthAfter: afterPlan.width,
      timeBeforeMs: timing?.beforeMs ?? null,
      timeAfterMs: timing?.afterMs ?? null,
      comparisons: rows.comparisons,
      sample: rows.sample,
      rowCap: options.rowCap,
      restricted: rows.restricted,
      measured: m,
      budgetMs: budget.totalMs,
    };
  });
  if (result.plans !== true) return { ...result, elapsedMs: round(budget.elapsedMs()) };
  const final = [...result.reasons];
  let withIndexes = null;
  if (final.length === 0) {
    const indexes = supportingIndexes(beforeAst, options.facts);
    if (indexes.length > 0) {
      const first = params.sets[0]?.values ?? [];
      const check = await checkWithIndexes(db, {
        original,
        after,
        beforeParams: first,
        afterParams: [...keptValues(first, candidate), ...(candidate.afterParams ?? [])],
        indexes,
        whatIf: options.whatIf ?? null,
        serverVersionNum: options.facts?.serverVersionNum ?? 0,
        ratio: options.cheaperRatio ?? 0.98,
        timeoutMs: budget.stepMs(1, db.statementTimeoutMs),
      });
      if (typeof check === 'string') final.push(`not checked with the index the original needs (${indexes.map((i) => i.definition).join('; ')}): ${check}`);
      else {
        withIndexes = check;
        if (!check.cheaper) final.push(`not cheaper once ${check.indexes.join('; ')} exists (${check.how}): planner cost ${check.costBefore} → ${check.costAfter}`);
      }
    }
  }
  if (undeterminedLimit(compareAst, options.facts) || undeterminedLimit(afterAst, options.facts)) {
    final.push('LIMIT or OFFSET without an ORDER BY that ends in a unique key: which rows are kept is not determined, so equal results on one run prove nothing');
  }
  if (candidate.semantics === 'changes-results') final.unshift(`changes results by design: ${candidate.semanticsNote ?? 'the rewrite is not equivalent'}`);
  const unknown = candidate.preconditions.filter((p) => p.holds === null);
  if (unknown.length > 0) final.push(`precondition not checked: ${unknown.map((p) => p.fact).join('; ')}`);
  if ((result.sample !== null || (result.restricted ?? null) !== null) && final.length === 0 && candidate.preconditions.some((p) => /foreign key/i.test(p.fact))) {
    final.push('compared on a sample, but the rewrite relies on a foreign key that a sample does not preserve');
  }
  return { ...result, status: final.length === 0 ? 'verified' : 'unverified', reasons: final, withIndexes, elapsedMs: round(budget.elapsedMs()) };
}

function keptValues(values: readonly (string | null)[], candidate: RewriteCandidate): (string | null)[] {
  const drop = new Set(candidate.dropParams ?? []);
  return values.filter((_, i) => !drop.has(i + 1));
}

type Sets = ParamSet[] & { probeRows: Map<ParamSet, (string | null)[]> };

/** Parameter sets from pg_stats, and for keyset pagination the cursor row each one starts after. */
async function parameterSets(client: pg.PoolClient, candidate: RewriteCandidate, params: ReturnType<typeof paramSetsFor>, reasons: string[]): Promise<Sets> {
  const probeRows = new Map<ParamSet, (string | null)[]>();
  const out = Object.assign([] as ParamSet[], { probeRows });
  if (params.unresolved.length > 0) {
    reasons.push(`no pg_stats values for ${params.unresolved.map((n) => `$${n}`).join(', ')}: parameter sets could not be drawn`);
    return out;
  }
  for (const s of params.sets) {
    if (candidate.probe === undefined) {
      out.push(s);
      continue;
    }
    // keyset pagination: the cursor values come from the original's own rows
    const probe = candidate.probe;
    try {
      const values = candidate.probeParams === undefined ? [...s.values] : candidate.probeParams.map((n) => s.values[n - 1] ?? null);
      const r = await guarded(client, () => client.query({ text: probe, values, rowMode: 'array', types: rawText }));
      const row = r.rows[0] as (string | null)[] | undefined;
      if (row === undefined) reasons.push(`the page before OFFSET is empty for ${s.label}: no cursor to compare keyset pagination with`);
      else {
        probeRows.set(s, row);
        out.push(s);
      }
    } catch (error) {
      reasons.push(`could not read the cursor row for ${s.label}: ${describeDbError(error)}`);
    }
  }
  return out;
}

interface CompareInput {
  readonly options: VerifyOptions;
  readonly session: VerifySession;
  readonly compareAst: Ast;
  readonly afterAst: Ast;
  readonly compareSql: string;
  readonly after: string;
  readonly costBefore: number;
  readonly costAfter: number;
  /** the rewrite does not plan cheaper and the caller keeps its budget for those that do */
  readonly skipRows: boolean;
}

interface RowsOutcome {
  readonly comparisons: ResultComparison[];
  readonly sample: Verification['sample'];
  readonly restricted: RestrictedProof | null;
  readonly measured: NonNullable<Verification['measured']> | null;
}

/** The full data first (bounded), then subsets of the outer table when the original is too slow. */
async function compareAll(db: Database, run: Run, input: CompareInput): Promise<RowsOutcome> {
  const { options, session, compareAst, afterAst } = input;
  const budget = session.budget;
  const rowEstimate = (schema: string | null, name: string): number => options.facts?.table(schema, name)?.rowEstimate ?? 0;
  const isTable = (schema: string | null, name: string): boolean => options.facts?.table(schema, name) !== undefined;
  if (options.samplePercent !== undefined) {
    const sample = { percent: options.samplePercent, method: `TABLESAMPLE BERNOULLI (${options.samplePercent}) REPEATABLE (7) on every table of both statements` };
    const c = await runComparisons(run, sampledSql(compareAst, sample.percent, isTable), sampledSql(afterAst, sample.percent, isTable), budget.stepMs(0.5, db.statementTimeoutMs));
    if (c.timedOutAfterMs !== null) run.reasons.push(`the comparison on the ${sample.percent} % sample did not finish within ${seconds(c.timedOutAfterMs)} (verification budget ${seconds(budget.totalMs)})`);
    run.reasons.push(...differenceReasons(c.comparisons, run.sets.length, compareAst, run.ordered));
    return { comparisons: c.comparisons, sample, restricted: null, measured: measured(c, 'the sample') };
  }
  if (input.skipRows) {
    // it cannot be verified anyway: keep the shared budget for rewrites that can
    return { comparisons: [], sample: null, restricted: null, measured: null };
  }
  const always = options.outerSubsets === 'always';
  if (always && session.originalTooSlow === null) session.originalTooSlow = 'comparison on subsets of the outer table was asked for';
  if (session.originalTooSlow === null && input.costBefore > HOPELESS_COST) {
    session.originalTooSlow = `the original's planner cost (${Math.round(input.costBefore).toLocaleString('en-US')}) is far beyond what can run on the full data within the ${seconds(budget.totalMs)} this verification has`;
  }
  let full: Compared | null = null;
  if (session.originalTooSlow === null) {
    const step = budget.stepMs(FULL_DATA_SHARE, db.statementTimeoutMs);
    full = await runComparisons(run, input.compareSql, input.after, step);
    if (full.timedOutAfterMs !== null) session.originalTooSlow = `the statements did not finish on the full data within ${seconds(full.timedOutAfterMs)} (a quarter of the ${seconds(budget.totalMs)} this verification has)`;
  }
  if (session.originalTooSlow !== null) {
    if (!always && !(input.costAfter < input.costBefore * (options.cheaperRatio ?? 0.98))) {
      // it cannot be verified anyway: keep the budget for rewrites that can
      run.reasons.push(`${session.originalTooSlow}; rows were not compared on subsets because the rewrite does not plan cheaper`);
      return { comparisons: full?.comparisons ?? [], sample: null, restricted: null, measured: null };
    }
    const restriction = planOuterRestriction(compareAst, afterAst, rowEstimate);
    if (typeof restriction === 'string') {
      run.reasons.push(`${session.originalTooSlow}; ${restriction}`);
      return { comparisons: full?.comparisons ?? [], sample: null, restricted: null, measured: null };
    }
    const proof = await verifyRestricted(run.client, { restriction, why: session.originalTooSlow, sets: run.sets, beforeValues: run.beforeValues, afterValues: run.afterValues, budget, sessionTimeoutMs: db.statementTimeoutMs, rowCap: run.rowCap, ordered: run.ordered });
    run.reasons.push(...restrictedReasons(proof, compareAst, run.ordered));
    const on = proof.samples.filter((s) => s.equal);
    const m = on.length === 0 ? null : { beforeMs: round(on.reduce((n, s) => n + s.beforeMs, 0)), afterMs: round(on.reduce((n, s) => n + s.afterMs, 0)), on: `the samples of ${proof.table} (${on.length} subsets)` };
    return { comparisons: full?.comparisons ?? [], sample: null, restricted: proof, measured: m };
  }
  const done = full as Compared;
  if (!done.comparisons.some((c) => c.truncated)) {
    run.reasons.push(...differenceReasons(done.comparisons, run.sets.length, compareAst, run.ordered));
    if (done.comparisons.length === 0 && run.reasons.length === 0) run.reasons.push('no result comparison could be run');
    return { comparisons: done.comparisons, sample: null, restricted: null, measured: measured(done, 'the full data') };
  }
  // a large result: compare on a deterministic sample sized to fit the row cap, and say so
  const biggest = Math.max(1, ...referencedTables(compareAst).map((t) => rowEstimate(t.schema, t.name)));
  const percent = Math.min(50, Math.max(0.01, Math.round(((100 * options.rowCap) / 2 / biggest) * 100) / 100));
  const sample = { percent, method: `automatic TABLESAMPLE BERNOULLI (${percent}) REPEATABLE (7) on every table of both statements, because a full result exceeded --row-cap ${options.rowCap}` };
  const c = await runComparisons(run, sampledSql(compareAst, percent, isTable), sampledSql(afterAst, percent, isTable), budget.stepMs(0.5, db.statementTimeoutMs));
  if (c.timedOutAfterMs !== null) run.reasons.push(`the comparison on the automatic ${percent} % sample did not finish within ${seconds(c.timedOutAfterMs)} (verification budget ${seconds(budget.totalMs)})`);
  run.reasons.push(...differenceReasons(c.comparisons, run.sets.length, compareAst, run.ordered));
  if (c.comparisons.some((x) => x.truncated)) run.reasons.push(`a result has more than ${options.rowCap} rows (--row-cap): the comparison is not conclusive; raise --row-cap or use --verify-sample`);
  return { comparisons: c.comparisons, sample, restricted: null, measured: measured(c, 'the sample') };
}

function measured(c: Compared, on: string): NonNullable<Verification['measured']> | null {
  return c.comparisons.length === 0 ? null : { beforeMs: round(c.beforeMs), afterMs: round(c.afterMs), on };
}

/** EXPLAIN ANALYZE of both, alternating so cache warm-up favours neither, bounded by the budget. */
async function analyzeTimes(run: Run, original: string, after: string, budget: VerifyBudget, sessionTimeoutMs: number): Promise<{ beforeMs: number; afterMs: number } | null> {
  const first = run.sets[0] as ParamSet;
  const tb: number[] = [];
  const ta: number[] = [];
  try {
    await setStatementTimeout(run.client, budget.stepMs(0.15, sessionTimeoutMs));
    for (let i = 0; i < ANALYZE_RUNS; i++) {
      tb.push(await measuredMs(run.client, original, run.beforeValues(first)));
      ta.push(await measuredMs(run.client, after, run.afterValues(first)));
    }
    return { beforeMs: round(median(tb)), afterMs: round(median(ta)) };
  } catch (error) {
    run.reasons.push(`--analyze could not time both statements: ${describeDbError(error)}${isTimeout(error) ? ` (within the verification budget of ${seconds(budget.totalMs)})` : ''}`);
    return null;
  }
}

function referencedTables(stmt: Ast): { schema: string | null; name: string }[] {
  const out: { schema: string | null; name: string }[] = [];
  walk(stmt, (n) => {
    const rv = n.RangeVar;
    if (rv !== undefined && typeof rv.relname === 'string') out.push({ schema: rv.schemaname ?? null, name: rv.relname });
  });
  return out;
}
