/** One scheduled maintenance task: the same object becomes a pg_cron job, a crontab line and a JSON entry. */
export type JobKind = 'autovacuum-settings' | 'vacuum-analyze' | 'reindex' | 'partitions' | 'partition-retention' | 'partman' | 'archive' | 'size-history';

export interface MaintenanceJob {
  /** pg_cron job name: unique per database, stable between runs (re-applying updates, never duplicates) */
  readonly name: string;
  /** cron syntax, UTC (pg_cron's clock) */
  readonly schedule: string;
  /** what the job runs: one statement, or statements that may share one transaction */
  readonly sql: string;
  readonly why: string;
  readonly kind: JobKind;
  /** the table, index or database it maintains */
  readonly target: string;
}

/** Every job name we create starts with this, so ours are told apart from the user's own jobs. */
export const JOB_PREFIX = 'dbopt';
