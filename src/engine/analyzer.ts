import type { Finding, Report, Snapshot, Workload } from '../model/index.ts';
import type { RewriteVerifier } from '../rewrite/rewrite-verifier.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';

export type Phase = 'profile' | 'diagnose' | 'optimize' | 'implement';
export const PHASES: readonly Phase[] = ['profile', 'diagnose', 'optimize', 'implement'];

export type Privilege = 'stats' | 'superuser';

export interface Requirements {
  /** minimum server_version_num, e.g. 160000 */
  readonly minVersion?: number;
  readonly extensions?: readonly string[];
  readonly privileges?: readonly Privilege[];
  /** needs a workload (pg_stat_statements, SQL file, log...) */
  readonly workload?: boolean;
  /** needs a snapshot of a live database (default true) */
  readonly snapshot?: boolean;
  readonly whatIf?: boolean;
  /** uses the rewrite verifier when the run has a live database (not required: without it the analyzer stays static) */
  readonly rewriteVerifier?: boolean;
}

export type OptionValue = number | string | boolean;

export interface OptionSpec {
  readonly default: OptionValue;
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The option values an analyzer receives, typed from its specs' defaults. */
export type OptionsOf<S extends OptionSpecs> = {
  readonly [K in keyof S]: S[K]['default'] extends number ? number : S[K]['default'] extends boolean ? boolean : string;
};

export interface AnalyzerContext<O> {
  readonly snapshot: Snapshot;
  readonly workload: Workload | null;
  readonly options: O;
  readonly whatIf: WhatIfEngine | null;
  /** runs a rewrite and its original read-only and compares them, within one time budget (analyzers declaring `rewriteVerifier`) */
  readonly rewriteVerifier?: RewriteVerifier | null;
  /** an earlier report given with --baseline */
  readonly baseline: Report | null;
}

/**
 * An analyzer ("agent" in the seed): pure function of its inputs to findings.
 * No clock, no randomness, no I/O except through the what-if engine.
 */
export interface Analyzer<S extends OptionSpecs = OptionSpecs> {
  readonly id: string;
  readonly phase: Phase;
  readonly title: string;
  readonly description: string;
  /** smallest --depth at which it runs (seed table: 1 quick … 5 comprehensive) */
  readonly depth: 1 | 2 | 3 | 4 | 5;
  readonly requires: Requirements;
  /** every threshold is an option with a documented default */
  readonly options: S;
  run(context: AnalyzerContext<OptionsOf<S>>): readonly Finding[] | Promise<readonly Finding[]>;
}

/** Keeps the option types of an analyzer definition. */
export function defineAnalyzer<const S extends OptionSpecs>(analyzer: Analyzer<S>): Analyzer<S> {
  return analyzer;
}
