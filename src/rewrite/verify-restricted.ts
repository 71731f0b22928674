import type pg from 'pg';
import type { ParamSet } from './param-sets.ts';
import type { OuterRestriction, SubsetPart } from './restrict-outer.ts';
import type { Row } from './run-statements.ts';
import { compareRows, describeDbError, fetchCapped, isTimeout, planCost, round } from './run-statements.ts';
import type { VerifyBudget } from './verify-budget.ts';
import { seconds, setStatementTimeout } from './verify-budget.ts';

/** samples always taken (each with its own seed), time permitting */
export const RESTRICTED_SAMPLES = 3;
/** further samples, growing, while fewer rows than TARGET_ROWS were compared and the phase has time left */
const MAX_SAMPLES = 12;
const TARGET_ROWS = 5000;
/** share of the verification's time left that the samples may use: the index check and later rewrites need the rest */
const PHASE_SHARE = 0.8;
/** the first sample aims at this many rows of the outer table; later ones grow to fit the time left */
const FIRST_SAMPLE_ROWS = 40;

export interface RestrictedSample {
  readonly seed: number;
  /** rows of the outer table that meet the original's own conditions on it, or the rest */
  readonly part: SubsetPart;
  readonly percent: number;
  readonly paramSet: string;
  readonly rowsBefore: number;
  readonly rowsAfter: number;
  readonly equal: boolean;
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly onlyBefore: readonly Row[];
  readonly onlyAfter: readonly Row[];
}

export interface RestrictedProof {
  /** the outer table, e.g. "products p" */
  readonly table: string;
  /** why the full data was not compared */
  readonly why: string;
  /** how the subset is taken, in words */
  readonly method: string;
  /** the subset of one sample, as SQL */
  readonly subsetSql: string;
  readonly samples: readonly RestrictedSample[];
  readonly rowsCompared: number;
  /** "same rows on 3 samples of the outer table, 2,140 rows compared" */
  readonly summary: string;
  /** why it stopped before RESTRICTED_SAMPLES samples */
  readonly stopped: string | null;
}

export interface RestrictedInput {
  readonly restriction: OuterRestriction;
  readonly why: string;
  readonly sets: readonly ParamSet[];
  readonly beforeValues: (s: ParamSet) => (string | null)[];
  readonly afterValues: (s: ParamSet) => (string | null)[];
  readonly budget: VerifyBudget;
  readonly sessionTimeoutMs: number;
  readonly rowCap: number;
  readonly ordered: boolean;
}

/** Rows of the outer table a subset keeps at 100 %, from the planner. */
async function subsetRowsAt100(client: pg.PoolClient, input: RestrictedInput, part: SubsetPart): Promise<number> {
  const first = input.sets[0];
  try {
    const { subset } = input.restriction.restrict(100, 1, part);
    const plan = await planCost(client, subset, first === undefined ? [] : input.beforeValues(first));
    return Math.max(1, plan.rows);
  } catch {
    return 1000;
  }
}

function nextPercent(percent: number, elapsedMs: number, leftMs: number, samplesLeft: number): number {
  // aim each remaining sample at a third of its share of the time left, growing at most 10× at a time
  const target = (leftMs / Math.max(1, samplesLeft)) * 0.35;
  const factor = Math.min(10, Math.max(0.25, target / Math.max(1, elapsedMs)));
  return Math.min(100, Math.max(0.0001, percent * factor));
}

const pct = (p: number): number => Math.round(p * 10_000) / 10_000;

type SampleRun = { readonly sample: RestrictedSample; readonly elapsedMs: number } | { readonly stop: string } | { readonly timedOut: number };

async function runSample(client: pg.PoolClient, input: RestrictedInput, seed: number, part: SubsetPart, percent: number, stepMs: number): Promise<SampleRun> {
  const set = input.sets[(seed - 1) % input.sets.length] as ParamSet;
  const sql = input.restriction.restrict(percent, seed, part);
  try {
    await setStatementTimeout(client, stepMs);
    const b = await fetchCapped(client, sql.before, input.beforeValues(set), input.rowCap);
    const a = await fetchCapped(client, sql.after, input.afterValues(set), input.rowCap);
    if (b.truncated || a.truncated) return { stop: `sample ${seed} (${pct(percent)} %) returned more than ${input.rowCap} rows (--row-cap)` };
    const cmp = b.columns.length === a.columns.length ? compareRows(b.rows, a.rows, input.ordered) : { equal: false, onlyBefore: [], onlyAfter: [] };
    const sample = { seed, part, percent: pct(percent), paramSet: set.label, rowsBefore: b.rows.length, rowsAfter: a.rows.length, equal: cmp.equal, beforeMs: round(b.elapsedMs), afterMs: round(a.elapsedMs), onlyBefore: cmp.onlyBefore, onlyAfter: cmp.onlyAfter };
    return { sample, elapsedMs: b.elapsedMs + a.elapsedMs };
  } catch (error) {
    return isTimeout(error) ? { timedOut: stepMs } : { stop: `sample ${seed} could not run: ${describeDbError(error)}` };
  }
}

/**
 * Compares both statements on deterministic subsets of the outer table (the same subset in both,
 * every subquery still reading the whole table), each statement bounded by the time left. Each
 * sample covers the rows that meet the original's own conditions on the outer table and, apart,
 * those that do not (a rewrite that dropped a condition returns rows there).
 */
export async function verifyRestricted(client: pg.PoolClient, input: RestrictedInput): Promise<RestrictedProof> {
  const { restriction, budget } = input;
  const parts: SubsetPart[] = restriction.pushed.length > 0 ? ['matching', 'rest'] : ['matching'];
  const matchingRows = await subsetRowsAt100(client, input, 'matching');
  const restRows = parts.length > 1 ? await subsetRowsAt100(client, input, 'rest') : 1;
  const phaseEnd = budget.elapsedMs() + budget.remainingMs() * PHASE_SHARE;
  const phaseLeft = (): number => Math.max(0, phaseEnd - budget.elapsedMs());
  // a sample should stay well under the row cap, or it proves nothing
  const maxPercent = Math.min(100, (100 * input.rowCap) / 2 / matchingRows);
  let percent = Math.min(maxPercent, (100 * FIRST_SAMPLE_ROWS) / matchingRows);
  const samples: RestrictedSample[] = [];
  const rowsSoFar = (): number => samples.reduce((n, x) => n + x.rowsBefore, 0);
  let stopped: string | null = null;
  for (let seed = 1; seed <= MAX_SAMPLES && stopped === null; seed++) {
    const extra = seed > RESTRICTED_SAMPLES;
    // past the first samples, more only while fewer than TARGET_ROWS rows were compared and the subsets can still grow
    if (extra && (rowsSoFar() >= TARGET_ROWS || samples.some((x) => x.part === 'matching' && x.percent >= 100))) break;
    const samplesLeft = Math.max(1, RESTRICTED_SAMPLES - seed + 1);
    let elapsed = 0;
    let timedOut = false;
    for (const part of parts) {
      if (phaseLeft() < 300) {
        if (!extra) stopped = `the verification budget of ${seconds(budget.totalMs)} ran out after ${samples.length} subset(s)`;
        timedOut = true;
        break;
      }
      // a statement may use most of its part's share: the original is the slow one, the rewrite is quick
      const stepMs = Math.max(1, Math.floor(Math.min(input.sessionTimeoutMs, (phaseLeft() * 0.9) / (samplesLeft * parts.length))));
      // the rest is much larger: sample it to about as many rows as the matching part
      const p = part === 'matching' ? percent : Math.min(100, (percent * matchingRows) / restRows);
      const r = await runSample(client, input, seed, part, p, stepMs);
      if ('stop' in r) {
        if (!extra) stopped = r.stop;
        timedOut = true;
      } else if ('timedOut' in r) {
        timedOut = true;
        // too big for the time left: a smaller subset for the same seed, while time remains (extra samples just end)
        if (extra) break;
        if (p / 10 < 0.0001 || phaseLeft() < 500) {
          stopped = `the original did not finish within ${seconds(stepMs)} even on ${pct(p)} % of ${restriction.table}, and the budget of ${seconds(budget.totalMs)} is spent`;
        } else {
          percent /= 10;
          seed--;
        }
        break;
      } else {
        samples.push(r.sample);
        elapsed += r.elapsedMs;
      }
      if (timedOut || samples.some((x) => !x.equal)) break;
    }
    if (samples.some((x) => !x.equal) || (extra && timedOut)) break;
    if (elapsed > 0 && !timedOut) percent = Math.min(maxPercent, nextPercent(percent, elapsed, phaseLeft(), Math.max(1, RESTRICTED_SAMPLES - seed)));
  }
  return proofOf(input, samples, stopped);
}

function proofOf(input: RestrictedInput, samples: RestrictedSample[], stopped: string | null): RestrictedProof {
  const { restriction } = input;
  const rowsCompared = samples.reduce((n, s) => n + s.rowsBefore, 0);
  const seeds = new Set(samples.map((s) => s.seed)).size;
  const allEqual = samples.length > 0 && samples.every((s) => s.equal);
  const table = restriction.ref === restriction.table ? restriction.table : `${restriction.table} ${restriction.ref}`;
  const summary = allEqual
    ? `same rows on ${seeds} sample${seeds === 1 ? '' : 's'} of the outer table ${table}, ${rowsCompared.toLocaleString('en-US')} rows compared`
    : samples.length === 0
      ? `no sample of the outer table ${table} could be compared`
      : `different rows on a sample of the outer table ${table}`;
  const pushed = restriction.pushed.length > 0 ? `, taken apart among the rows that meet the original's own conditions on it (${restriction.pushed.join(' AND ')}) and the rows that do not` : '';
  return {
    table,
    why: input.why,
    method: `both statements read the same TABLESAMPLE BERNOULLI … REPEATABLE (seed) subset of ${table}${pushed}; every subquery still reads the whole table, so correlated semantics hold`,
    subsetSql: restriction.restrict(samples[0]?.percent ?? 1, 1).subset,
    samples,
    rowsCompared,
    summary,
    stopped,
  };
}
