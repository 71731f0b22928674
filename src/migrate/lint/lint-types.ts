import type { Severity } from '../../model/index.ts';
import type { AstNode, TypeInfo } from '../pg-ast.ts';
import type { LintState } from './lint-state.ts';
import type { StatementSpan } from './statement-spans.ts';

export type DurationClass = 'metadata' | 'scan' | 'rewrite';

/**
 * How loud a rule is. `reminder` is below `info`: a habit (set lock_timeout) rather than a danger;
 * it maps to severity info in reports, so it never fails the default exit code.
 */
export type LintLevel = Severity | 'reminder';

export interface LintOptions {
  readonly file: string;
  /** PostgreSQL major version the migration will run on */
  readonly pgVersion: number;
  /** the framework wraps each migration in a transaction (Rails, Django, Alembic by default) */
  readonly assumeInTransaction?: boolean;
  /** rule ids (ours or squawk's) to ignore everywhere */
  readonly exclude?: readonly string[];
  /**
   * Column types declared by earlier migrations ("table.column" → type), read and extended by this one:
   * pass the same map to the files of a directory in order, so a type change knows the old type.
   */
  readonly columnTypes?: Map<string, TypeInfo>;
}

export interface LintViolation {
  readonly rule: string;
  readonly severity: Severity;
  readonly level: LintLevel;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly statement: string;
  /** lock the statement takes, e.g. "ACCESS EXCLUSIVE on public.users" */
  readonly lock: string | null;
  readonly duration: DurationClass | null;
  readonly message: string;
  readonly why: string;
  readonly recipe: string;
}

export interface LintResult {
  readonly file: string;
  readonly statements: number;
  readonly violations: readonly LintViolation[];
  readonly suppressed: readonly { readonly rule: string; readonly line: number }[];
}

/** A rule's metadata: what the docs, SARIF-like outputs and squawk aliases are generated from. */
export interface LintRule {
  readonly id: string;
  readonly level: LintLevel;
  readonly title: string;
  /** squawk rule names this rule covers (same id first when squawk has it) */
  readonly squawk: readonly string[];
  /** strong_migrations check it covers, when it has one */
  readonly strongMigrations?: string;
  /** why the statement is dangerous on a busy production table */
  readonly why: string;
  /** the safe way, as SQL (comments for the steps that are not SQL) */
  readonly recipe: string;
}

export interface StatementInfo {
  readonly lock: string | null;
  readonly duration: DurationClass | null;
  /** takes a lock on an existing relation that blocks traffic while it waits */
  readonly needsTimeouts: boolean;
}

export interface ReportExtra {
  readonly recipe?: string;
  readonly duration?: DurationClass;
  readonly lock?: string;
  /** a lower level for this hit (e.g. a type change that is a rewrite only for some source types) */
  readonly level?: LintLevel;
  /** report this rule at most once per file */
  readonly oncePerFile?: boolean;
}

/** What a rule sees for one statement. State is as it was before the statement. */
export interface StatementContext {
  readonly kind: string;
  readonly node: AstNode;
  readonly span: StatementSpan;
  readonly pg: number;
  readonly state: Readonly<LintState>;
  /** the lock the statement takes, its duration class, whether it needs lock/statement timeouts */
  readonly info: StatementInfo;
  /** inside BEGIN … COMMIT, or the framework's transaction (--assume-in-transaction) */
  readonly inTransaction: boolean;
  /** the relation existed before this migration (not created earlier in the file) */
  existing(relation: string): boolean;
  /** reports the rule; lock and duration default to the statement's */
  report(message: string, extra?: ReportExtra): void;
}

/** A lint rule: metadata, valid and invalid cases (tested), and a pure check per statement. */
export interface LintRuleModule {
  readonly meta: LintRule;
  /** migrations the rule must not flag */
  readonly valid: readonly string[];
  /** migrations the rule must flag */
  readonly invalid: readonly string[];
  /** PostgreSQL version the cases are written for (default 17) */
  readonly casesPgVersion?: number;
  check(ctx: StatementContext): void;
  /** runs once after the last statement */
  finish?(ctx: { readonly state: Readonly<LintState>; report(span: StatementSpan, message: string): void }): void;
}

export const LEVEL_SEVERITY: Readonly<Record<LintLevel, Severity>> = { critical: 'critical', warning: 'warning', info: 'info', reminder: 'info' };
