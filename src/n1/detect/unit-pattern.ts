import type { StatementShape } from '../statement-shape.ts';

export type N1Rule = 'n1-query' | 'n1-fan-out' | 'n1-repeating-group' | 'n1-repeated-identical' | 'n1-row-by-row-insert';

export type IgnoredReason = 'pagination' | 'existence-check' | 'chunked-batch' | 'retry' | 'below-thresholds' | 'no-varying-equality';

/** One pattern found inside one unit of work. */
export interface UnitPattern {
  readonly rule: N1Rule;
  /** the repeated statements; several for a repeating group (MN+1) */
  readonly members: readonly PatternMember[];
  readonly callSite: string | null;
  /** queries of the pattern in this unit */
  readonly count: number;
  readonly timeMs: number | null;
  /** estimated application cost: time plus one round trip per query */
  readonly costMs: number;
  readonly maxConcurrency: number;
  /** the statement right before the loop (the "1" of 1 + N), when it is a SELECT */
  readonly parent: StatementShape | null;
  readonly parentSql: string | null;
}

export interface PatternMember {
  readonly shape: StatementShape;
  readonly sql: string;
  readonly count: number;
  readonly distinctValues: number;
  /** the $n that varies in an equality predicate: the foreign key the loop walks */
  readonly varyingColumn: { readonly table: string | null; readonly column: string } | null;
  readonly callSite: string | null;
}
