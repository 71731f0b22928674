import type { Severity } from '../model/index.ts';
import type { Ast } from './ast.ts';
import type { SchemaFacts } from './schema-facts.ts';

/**
 * equivalent: same rows for every database state that satisfies the preconditions;
 * changes-results: a deliberate change (a correctness fix, sampling) — never shown as verified;
 * index-proposal: the statement stays, an index is proposed.
 */
export type RewriteSemantics = 'equivalent' | 'changes-results' | 'index-proposal';

export interface Precondition {
  /** the fact, e.g. "categories.id is unique (categories_pkey)" */
  readonly fact: string;
  /** true/false from the catalog or the statement; null when unknown (no database) */
  readonly holds: boolean | null;
  readonly source: 'snapshot' | 'statement';
}

export interface RewriteCandidate {
  readonly rule: string;
  readonly title: string;
  /** why this is faster / what it changes */
  readonly explanation: string;
  readonly semantics: RewriteSemantics;
  readonly severity: Severity;
  /** rewritten statement (compact SQL), null for pure index proposals */
  readonly after: string | null;
  /** DDL proposed with the rewrite (expression index, trigram index) */
  readonly proposal?: string;
  /** for changes-results: why it can never be "verified" */
  readonly semanticsNote?: string;
  readonly preconditions: readonly Precondition[];
  /** values for parameters the rewrite introduces (e.g. the array of an IN list), in order after the original's */
  readonly afterParams?: readonly (string | null)[];
  /** the original's parameters the probe uses, in the probe's $1…$m order (default: all of them) */
  readonly probeParams?: readonly number[];
  /** the original's parameters the rewrite no longer uses (OFFSET $n); the rewrite's own $n are numbered without them */
  readonly dropParams?: readonly number[];
  /** the original projected as the rewrite is (SELECT * → columns): compared instead of the original */
  readonly compareOriginal?: string;
  /** keyset pagination: a query on the original returning the values of the rewrite's $n parameters */
  readonly probe?: string;
  /** what "cheaper" means for this rule: planner cost (default) or the bytes per row sent (plan width) */
  readonly benefit?: 'cost' | 'width';
  /** application-side equivalents (ORMs) */
  readonly codeHints?: readonly string[];
}

export interface RejectedRewrite {
  readonly rule: string;
  readonly reason: string;
  readonly preconditions: readonly Precondition[];
}

export type RuleOutcome = ({ readonly kind: 'candidate' } & RewriteCandidate) | ({ readonly kind: 'rejected' } & RejectedRewrite);

export interface RuleOptions {
  /** columns the caller actually reads (SELECT * rule) */
  readonly uses?: readonly string[];
  /** IN lists at least this long become = ANY($n) */
  readonly inListThreshold: number;
}

export interface RuleContext {
  readonly sql: string;
  /** the parsed statement, e.g. { SelectStmt: {...} }; rules must not mutate it (clone first) */
  readonly stmt: Ast;
  readonly facts: SchemaFacts | null;
  readonly options: RuleOptions;
}

/** A rewrite rule: metadata and a pure check over the AST and the catalog facts. */
export interface RewriteRule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  apply(context: RuleContext): readonly RuleOutcome[];
}

export function defineRule(rule: RewriteRule): RewriteRule {
  return rule;
}

/** A precondition on a catalog fact: unknown without a snapshot. */
export function fact(facts: SchemaFacts | null, text: string, check: (f: SchemaFacts) => boolean): Precondition {
  return { fact: text, holds: facts === null ? null : check(facts), source: 'snapshot' };
}

export function statementFact(text: string): Precondition {
  return { fact: text, holds: true, source: 'statement' };
}
