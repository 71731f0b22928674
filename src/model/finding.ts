/** Severity of a finding; `--fail-on` compares against this order. */
export type Severity = 'critical' | 'warning' | 'info';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 3, warning: 2, info: 1 };

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type Evidence = Readonly<Record<string, JsonValue>>;

export type TargetKind =
  | 'database'
  | 'table'
  | 'index'
  | 'constraint'
  | 'sequence'
  | 'statement'
  | 'setting'
  | 'connection'
  | 'replication'
  | 'plan-node'
  | 'code'
  | 'file'
  | 'schema'
  | 'analyzer';

/** What a finding is about. Only the fields that apply are set. */
export interface Target {
  readonly kind: TargetKind;
  /** schema-qualified relation, e.g. "public.orders" */
  readonly relation?: string;
  readonly index?: string;
  readonly column?: string;
  /** libpg_query fingerprint of a statement */
  readonly fingerprint?: string;
  /** pg_stat_statements queryid when known */
  readonly queryId?: string;
  readonly setting?: string;
  /** stable path of a plan node, e.g. "0.1.0" */
  readonly nodePath?: string;
  /** file:line of application code or a migration */
  readonly location?: string;
  readonly name?: string;
}

/**
 * Estimated gain of acting on a finding. `score` orders findings inside a severity:
 * where it can be computed it is milliseconds of database time saved per day;
 * storage-only findings convert bytes at 1 MiB = 1 ms/day so they rank below real time savings.
 */
export interface Impact {
  readonly score: number;
  readonly summary: string;
  readonly msPerDay?: number;
  readonly workloadShare?: number;
  readonly bytes?: number;
  readonly costBefore?: number;
  readonly costAfter?: number;
}

export type FixKind = 'sql' | 'migration' | 'config' | 'code' | 'command';
export type FixSafety = 'safe' | 'review' | 'dangerous';

export interface Fix {
  readonly kind: FixKind;
  readonly content: string;
  readonly rollback?: string;
  /** PostgreSQL lock the fix takes, e.g. "SHARE UPDATE EXCLUSIVE" */
  readonly lockLevel?: string;
  readonly safety: FixSafety;
  /** true only when the fix was checked against the database (what-if cost, before/after, result comparison) */
  readonly verified: boolean;
  /** how it was verified, or why it could not be */
  readonly verification?: string;
  readonly language?: string;
}

/**
 * The statistics window behind a finding that needs history (unused indexes, rates extrapolated
 * to a day, rankings). When `requiredSeconds` is set and the window is shorter, the report holds
 * the finding back (one line saying so) instead of showing it.
 */
export interface FindingHistory {
  /** seconds the statistics behind the finding cover (null when unknown) */
  readonly windowSeconds: number | null;
  /** seconds they must cover for the finding to stand */
  readonly requiredSeconds?: number;
  /** the option that sets `requiredSeconds`, e.g. "unused-indexes.minStatsAgeDays" */
  readonly option?: string;
  /** how a rate was read, e.g. why a bulk load was left out */
  readonly note?: string;
}

export interface Finding {
  /** rule id, equal to the id of the analyzer that produced it unless the analyzer has several rules */
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly target: Target;
  readonly evidence: Evidence;
  readonly impact: Impact;
  readonly description?: string;
  readonly nextSteps?: readonly string[];
  readonly fix?: Fix;
  readonly history?: FindingHistory;
}
