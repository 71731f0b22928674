import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import type { Row } from './run-statements.ts';
import type { SchemaFacts } from './schema-facts.ts';
import type { VerifyBudget } from './verify-budget.ts';
import type { RestrictedProof } from './verify-restricted.ts';
import type { WithIndexesCheck } from './verify-with-indexes.ts';

export type { Row };

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
  /** the original could not run on the full data within the budget: what was proven on subsets of its outer table */
  readonly restricted?: RestrictedProof | null;
  /** wall time of both statements while their rows were compared (full data or the samples) */
  readonly measured?: { readonly beforeMs: number; readonly afterMs: number; readonly on: string } | null;
  /** planner cost once the indexes the original needs exist (HypoPG or a rolled-back build) */
  readonly withIndexes?: WithIndexesCheck | null;
  /** the time this verification took and the budget it had */
  readonly elapsedMs?: number;
  readonly budgetMs?: number;
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
  /** compare on subsets of the outer table only when the original is too slow (default), or always (tests, a second opinion) */
  readonly outerSubsets?: 'when-slow' | 'always';
  /** run no statement when the rewrite does not plan cheaper (it cannot be verified): a shared budget goes to rewrites that can */
  readonly rowsOnlyWhenCheaper?: boolean;
  /** the whole verification's time bound (default 60 s) */
  readonly budgetMs?: number;
  /** shared by the rewrites of one statement: the budget and what is known of the original */
  readonly session?: VerifySession;
}

/** What the rewrites of one statement share while they are verified one after the other. */
export interface VerifySession {
  readonly budget: VerifyBudget;
  /** set once the original did not finish on the full data: later rewrites go straight to subsets */
  originalTooSlow: string | null;
}

