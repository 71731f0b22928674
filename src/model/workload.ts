export type WorkloadSource = 'pg_stat_statements' | 'sql-file' | 'statement' | 'log' | 'trace' | 'capture' | 'report';

export interface WorkloadStatement {
  /** libpg_query fingerprint (hex); null when the text does not parse */
  readonly fingerprint: string | null;
  /** pg_stat_statements queryid, when the statement came from there */
  readonly queryId?: string;
  /** normalized text ($1 placeholders) */
  readonly text: string;
  /** a runnable statement with constants, when known */
  readonly sample?: string;
  readonly calls: number;
  readonly totalTimeMs: number;
  readonly meanTimeMs: number;
  readonly stddevTimeMs: number | null;
  readonly minTimeMs?: number;
  readonly maxTimeMs?: number;
  readonly rows: number;
  readonly sharedBlksHit: number;
  readonly sharedBlksRead: number;
  readonly tempBlksRead: number;
  readonly tempBlksWritten: number;
  /** total planning time, when pg_stat_statements.track_planning is on */
  readonly planTimeMs: number | null;
  readonly source: WorkloadSource;
  readonly user?: string;
  readonly database?: string;
  readonly parseError?: string;
  /** where it came from: file:line, log line, call site */
  readonly origin?: string;
}

export interface Workload {
  readonly source: WorkloadSource;
  readonly statements: readonly WorkloadStatement[];
  /** seconds between the two readings when --interval was used */
  readonly intervalSeconds?: number;
  /** seconds the counters cover (since pg_stat_statements reset, or the interval) when known */
  readonly windowSeconds?: number | null;
  readonly totalTimeMs: number;
  readonly issues: readonly string[];
}
