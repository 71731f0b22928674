/** The `logs` section of the JSON report (field names are a contract: issue 21). */
export interface LogsStatement {
  /** one entry per shape: constants replaced by $n (libpg_query normalize) */
  readonly query: string;
  /** libpg_query fingerprint (the shape's identity), else a hash of the literal-masked text */
  readonly fingerprint: string;
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** percentiles are exact (≤ 128 calls) or within ±1 % (log-bucket sketch) */
  readonly percentiles: 'exact' | 'sketch';
  /** calls logged without a duration (log_statement = all without log_duration) */
  readonly untimedCalls: number;
  readonly share: number;
  readonly byHour: readonly { readonly hour: string; readonly calls: number; readonly totalMs: number }[];
}

export interface LogsErrorExample {
  readonly time: string | null;
  readonly line: number;
  readonly message: string;
  readonly detail: string | null;
  readonly statement: string | null;
}

export interface LogsError {
  readonly sqlstate: string | null;
  /** logged (%e, csvlog, jsonlog), inferred from the message, or unknown */
  readonly sqlstateSource: 'logged' | 'inferred' | 'unknown';
  readonly severity: string;
  readonly count: number;
  readonly messages: readonly { readonly pattern: string; readonly count: number }[];
  readonly examples: readonly LogsErrorExample[];
}

export interface LogsLockWait {
  readonly time: string | null;
  readonly line: number;
  readonly kind: 'wait' | 'deadlock';
  readonly pid: string | null;
  /** e.g. "ShareLock on transaction 744" */
  readonly lock: string;
  readonly waitedMs: number | null;
  /** the waiter got its lock ("acquired … after N ms") */
  readonly acquired: boolean;
  readonly blockedStatement: string | null;
  readonly blockingPids: readonly string[];
  /** the last statement the blocking process logged before the wait (with log_min_duration_statement, the one that took the lock) */
  readonly blockingStatement: string | null;
}

export interface LogsTempFile {
  readonly query: string | null;
  readonly fingerprint: string | null;
  readonly count: number;
  readonly totalBytes: number;
  readonly maxBytes: number;
}

export interface LogsCheckpoints {
  readonly count: number;
  readonly starting: Readonly<Record<string, number>>;
  readonly buffersWritten: number;
  readonly writeSeconds: number;
  readonly syncSeconds: number;
  readonly totalSeconds: number;
  readonly maxTotalSeconds: number;
  readonly meanDistanceKb: number | null;
  readonly maxDistanceKb: number | null;
  readonly walFilesAdded: number;
  readonly walFilesRemoved: number;
  readonly walFilesRecycled: number;
  /** "checkpoints are occurring too frequently" */
  readonly warnings: number;
  readonly minSecondsApart: number | null;
}

export interface LogsAutovacuum {
  readonly table: string;
  readonly vacuums: number;
  readonly analyzes: number;
  readonly tuplesRemoved: number;
  readonly pagesRemoved: number;
  readonly elapsedSeconds: number;
  readonly maxElapsedSeconds: number;
}

export interface LogsCount {
  readonly name: string;
  readonly count: number;
}

export interface LogsConnections {
  readonly received: number;
  readonly authorized: number;
  readonly sessions: number;
  readonly sessionTotalMs: number;
  readonly sessionMeanMs: number | null;
  readonly sessionP50Ms: number | null;
  readonly sessionP95Ms: number | null;
  readonly peakPerSecond: number;
  readonly authenticationFailures: number;
  readonly byDatabase: readonly LogsCount[];
  readonly byUser: readonly LogsCount[];
  readonly byApplication: readonly LogsCount[];
  readonly byHost: readonly LogsCount[];
}

export interface LogsPlan {
  readonly query: string;
  readonly fingerprint: string;
  readonly durationMs: number;
  readonly line: number;
  readonly tips: readonly { readonly rule: string; readonly title: string }[];
}

export interface LogsSummary {
  readonly format: string;
  readonly prefix: string | null;
  readonly lines: number;
  readonly files: readonly string[];
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  readonly queries: number;
  readonly queriesTotalMs: number;
  /** parse and bind steps of the extended protocol (not counted as calls, as pgbadger) */
  readonly parseBindMs: number;
  readonly statements: readonly LogsStatement[];
  /** distinct shapes beyond the kept ones, folded into a remainder */
  readonly otherStatements: { readonly shapes: number; readonly calls: number; readonly totalMs: number } | null;
  readonly errors: readonly LogsError[];
  readonly lockWaits: readonly LogsLockWait[];
  readonly tempFiles: readonly LogsTempFile[];
  readonly checkpoints: LogsCheckpoints;
  readonly autovacuum: readonly LogsAutovacuum[];
  readonly connections: LogsConnections;
  readonly plans: readonly LogsPlan[];
  /** every auto_explain plan logged (not counted as statements: the statement's own duration line is) */
  readonly autoExplain: { readonly plans: number; readonly totalMs: number };
  readonly warnings: readonly string[];
}
