import type { Fix, Severity, TargetKind } from './finding.ts';

/**
 * What a problem is grouped around: one statement (fingerprint or queryid), one table (its
 * partitions folded into the parent), one index, one setting, or the database as a whole.
 */
export type ProblemKind = 'statement' | 'table' | 'index' | 'setting' | 'database' | 'sequence' | 'code';

/** How a problem is ranked: by database time it would save, or (health problems) by risk. */
export type ProblemRanking = 'time' | 'risk';

/** The fix chosen for a problem: the best verified one among its findings' fixes. */
export interface ProblemFix extends Fix {
  /** index into `findings` of the finding whose fix this is */
  readonly finding: number;
  /** rule id of that finding */
  readonly rule: string;
  /** what the fix changes */
  readonly category: 'index' | 'rewrite' | 'config' | 'code' | 'schema' | 'other';
}

/**
 * Findings that share a root cause (a statement, a table, an index, a setting), grouped into
 * one problem with one title, its evidence (the findings) and the best verified fix.
 * JSON contract (issue 18): `problems: [{ id, rank, title, estimatedSavingMsPerDay, findings, fix }]`.
 */
export interface Problem {
  /** stable id, e.g. "statement:5e1b…", "table:public.products", "index:public.orders_pkey" */
  readonly id: string;
  /** 1-based position in the report */
  readonly rank: number;
  readonly title: string;
  /** database time the fix is expected to save per day; null when it cannot be estimated */
  readonly estimatedSavingMsPerDay: number | null;
  /** indices (0-based) into the report's `findings`, most important first */
  readonly findings: readonly number[];
  /** the best verified fix (verified first, then by kind: index, rewrite, config, code); null when none */
  readonly fix: ProblemFix | null;
  readonly kind: ProblemKind;
  /** highest severity among its findings */
  readonly severity: Severity;
  readonly ranking: ProblemRanking;
  /** what it targets: relation, index, statement fingerprint/queryid, setting — as on findings */
  readonly target: {
    readonly kind: TargetKind;
    readonly relation?: string;
    readonly index?: string;
    readonly fingerprint?: string;
    readonly queryId?: string;
    readonly setting?: string;
  };
  /** one line: what the fix buys (e.g. "saves ~3.1 h of database time a day (33 % of all)") */
  readonly gain: string;
}

/**
 * "Do these first": at most five actions taken from the top problems, each with one
 * copy-paste script (a migration for index and schema changes).
 */
export interface PlanAction {
  /** 1-based */
  readonly rank: number;
  /** id of the problem it fixes */
  readonly problem: string;
  readonly title: string;
  readonly kind: Fix['kind'];
  readonly category: ProblemFix['category'];
  /** the copy-paste script (SQL migration, config lines, code or command) */
  readonly content: string;
  readonly rollback?: string;
  readonly verified: boolean;
  readonly estimatedSavingMsPerDay: number | null;
}

/** A finding that needs more history than the statistics cover, held back from the report. */
export interface HeldBackFinding {
  readonly rule: string;
  readonly title: string;
  /** seconds the statistics behind it cover */
  readonly windowSeconds: number | null;
  /** seconds they must cover (the analyzer's option) */
  readonly requiredSeconds: number;
  /** the option that sets it, e.g. "unused-indexes.minStatsAgeDays" */
  readonly option: string;
}
