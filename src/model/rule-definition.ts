import type { Severity } from './finding.ts';

/** Where a rule runs; each kind has its own registry, this is the common metadata the reference lists. */
export type RuleKind = 'analyzer' | 'plan-tip' | 'rewrite' | 'migration-lint' | 'n1' | 'pool' | 'pgbouncer' | 'migration-plan';

export interface RuleOptionDoc {
  readonly name: string;
  readonly default: string | number | boolean;
  readonly description: string;
}

/** A finding's rule: id, default severity, options with defaults and where its docs are. */
export interface RuleDefinition {
  readonly id: string;
  readonly kind: RuleKind;
  readonly title: string;
  readonly description: string;
  /** 'varies' when the measurement decides (e.g. critical past a second threshold) */
  readonly severity: Severity | 'varies';
  readonly severityNote?: string;
  readonly options?: readonly RuleOptionDoc[];
  /** the command that reports it */
  readonly command: string;
  /** path of the rule's code or docs, relative to the repository */
  readonly docs: string;
}
