/** A zero-downtime migration plan: ordered steps, each with its lock, duration class and rollback. */
export type StepDuration = 'metadata' | 'scan' | 'rewrite' | 'batched' | 'deploy';

export interface BackfillSpec {
  readonly table: string;
  /** SET clause, e.g. "tier = 'free'" */
  readonly set: string;
  /** rows still to do, e.g. "tier IS NULL" */
  readonly pending: string;
  /** single integer key column used for range batches; null → ctid batches */
  readonly key: string | null;
  readonly batchSize: number;
  readonly sleepMs: number;
}

export interface PlanStep {
  readonly n: number;
  readonly title: string;
  /** SQL of the step (for a backfill: one batch, with $1/$2 as the key range) */
  readonly sql: string;
  readonly lock: string;
  readonly duration: StepDuration;
  /** false: must run outside a transaction block (CONCURRENTLY) */
  readonly transactional: boolean;
  readonly lockTimeoutMs: number | null;
  readonly statementTimeoutMs: number | null;
  readonly retry: { readonly attempts: number; readonly backoffMs: number } | null;
  readonly rollback: string;
  readonly notes: readonly string[];
  readonly backfill?: BackfillSpec;
  /** a step a person does (deploy code), not SQL */
  readonly manual?: boolean;
}

export type ChangeKind = 'add-column' | 'add-index' | 'add-fk' | 'change-type' | 'set-not-null' | 'rename-column' | 'rename-table';

export interface MigrationPlan {
  readonly change: { readonly kind: ChangeKind; readonly description: string; readonly naiveSql: string };
  readonly pgVersion: number;
  readonly steps: readonly PlanStep[];
  /** what a single naive statement would do instead */
  readonly naive: { readonly sql: string; readonly lock: string; readonly duration: 'metadata' | 'scan' | 'rewrite'; readonly why: string };
  readonly assumptions: readonly string[];
}
