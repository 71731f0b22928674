import type pg from 'pg';
import type { ParamSet } from './param-sets.ts';
import type { OuterRestriction } from './restrict-outer.ts';
import type { Row } from './run-statements.ts';
import { compareRows, describeDbError, fetchCapped, isTimeout, planCost, round } from './run-statements.ts';
import type { VerifyBudget } from './verify-budget.ts';
import { seconds, setStatementTimeout } from './verify-budget.ts';

export const RESTRICTED_SAMPLES = 3;
/** the first sample aims at this many rows of the outer table; later ones grow to fit the time left */
const FIRST_SAMPLE_ROWS = 40;

export interface RestrictedSample {
  readonly seed: number;
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

/** Rows of the outer table the subset keeps at 100 %, from the planner. */
async function subsetRowsAt100(client: pg.PoolClient, input: RestrictedInput): Promise<number> {
  const first = input.sets[0];
  try {
    const { subset } = input.restriction.restrict(100, 1);
    const plan = await planCost(client, subset, first === undefined ? [] : input.beforeValues(first));
    return Math.max(1, plan.rows);
  } catch {
    return 1000;
  }
}

function nextPercent(percent: number, elapsedMs: number, budget: VerifyBudget, samplesLeft: number): number {
  // aim each remaining sample at half of its share of the time left, growing at most 10× at a time
  const target = (budget.remainingMs() / Math.max(1, samplesLeft)) * 0.5;
  const factor = Math.min(10, Math.max(0.25, target / Math.max(1, elapsedMs)));
  return Math.min(100, Math.max(0.0001, percent * factor));
}

/**
 * Compares both statements on deterministic subsets of the outer table (the same subset in both,
 * every subquery still reading the whole table), each statement bounded by the time left.
 */
export async function verifyRestricted(client: pg.PoolClient, input: RestrictedInput): Promise<RestrictedProof> {
  const { restriction, budget } = input;
  const outerRows = await subsetRowsAt100(client, input);
  let percent = Math.min(100, (100 * FIRST_SAMPLE_ROWS) / outerRows);
  const samples: RestrictedSample[] = [];
  let stopped: string | null = null;
  let subsetSql = '';
  for (let seed = 1; seed <= RESTRICTED_SAMPLES && stopped === null; seed++) {
    const set = input.sets[(seed - 1) % input.sets.length] as ParamSet;
    const samplesLeft = RESTRICTED_SAMPLES - seed + 1;
    const stepMs = input.budget.stepMs(1 / (2 * samplesLeft), input.sessionTimeoutMs);
    if (budget.remainingMs() < 200) {
      stopped = `the verification budget of ${seconds(budget.totalMs)} ran out after ${samples.length} sample(s)`;
      break;
    }
    const sql = restriction.restrict(percent, seed);
    subsetSql = sql.subset;
    try {
      await setStatementTimeout(client, stepMs);
      const b = await fetchCapped(client, sql.before, input.beforeValues(set), input.rowCap);
      const a = await fetchCapped(client, sql.after, input.afterValues(set), input.rowCap);
      if (b.truncated || a.truncated) {
        stopped = `sample ${seed} (${round(percent)} %) returned more than ${input.rowCap} rows (--row-cap)`;
        break;
      }
      const cmp = b.columns.length === a.columns.length ? compareRows(b.rows, a.rows, input.ordered) : { equal: false, onlyBefore: [], onlyAfter: [] };
      samples.push({ seed, percent: round(percent * 10_000) / 10_000, paramSet: set.label, rowsBefore: b.rows.length, rowsAfter: a.rows.length, equal: cmp.equal, beforeMs: round(b.elapsedMs), afterMs: round(a.elapsedMs), onlyBefore: cmp.onlyBefore, onlyAfter: cmp.onlyAfter });
      if (!cmp.equal) break;
      percent = nextPercent(percent, b.elapsedMs + a.elapsedMs, budget, samplesLeft - 1);
    } catch (error) {
      if (!isTimeout(error)) {
        stopped = `sample ${seed} could not run: ${describeDbError(error)}`;
        break;
      }
      // too big for the time left: a smaller subset for the same seed, while time remains
      const smaller = percent / 10;
      if (smaller < 0.0001 || budget.remainingMs() < 500) {
        stopped = `the original did not finish within ${seconds(stepMs)} even on ${round(percent * 10_000) / 10_000} % of ${restriction.table}, and the budget of ${seconds(budget.totalMs)} is spent`;
        break;
      }
      percent = smaller;
      seed--;
    }
  }
  const rowsCompared = samples.reduce((n, s) => n + s.rowsBefore, 0);
  const allEqual = samples.length > 0 && samples.every((s) => s.equal);
  const table = restriction.ref === restriction.table ? restriction.table : `${restriction.table} ${restriction.ref}`;
  const summary = allEqual
    ? `same rows on ${samples.length} sample${samples.length === 1 ? '' : 's'} of the outer table ${table}, ${rowsCompared.toLocaleString('en-US')} rows compared`
    : samples.length === 0
      ? `no sample of the outer table ${table} could be compared`
      : `different rows on a sample of the outer table ${table}`;
  return {
    table,
    why: input.why,
    method: `both statements read the same TABLESAMPLE BERNOULLI … REPEATABLE (seed) subset of ${table}${restriction.pushed.length > 0 ? ' (filtered by the original\'s own conditions on it)' : ''}; every subquery still reads the whole table, so correlated semantics hold`,
    subsetSql,
    samples,
    rowsCompared,
    summary,
    stopped,
  };
}
