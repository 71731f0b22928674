import { ANALYZERS } from '../analyzers/registry.ts';
import type { Analyzer, OptionValue } from '../engine/analyzer.ts';
import { resolveAnalyzerOptions } from '../engine/run-analyzers.ts';
import type { AnalyzerOptionOverrides } from '../engine/run-analyzers.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { FlowInput } from './flow.ts';
import { analyzerOverrides } from './flow-input.ts';

/**
 * The analyzers' options as `profile` resolves them (defaults, then the config's "analyzers", then
 * --set), for commands that reuse the thresholds without running every analyzer. Every override is
 * checked against the whole registry, so one config file serves profile, maintain and monitor.
 */
export function analyzerThresholds(input: FlowInput): { readonly overrides: AnalyzerOptionOverrides; optionsOf(analyzer: Analyzer): Record<string, OptionValue> } {
  const overrides = analyzerOverrides(input);
  const known = new Map(ANALYZERS.map((a) => [a.id, a]));
  const resolved = new Map<string, Record<string, OptionValue>>();
  for (const [id, values] of Object.entries(overrides)) {
    const analyzer = known.get(id);
    if (analyzer === undefined) throw new DbOptimizeError('E_UNKNOWN_ANALYZER', 'usage', `unknown analyzer "${id}" in options`);
    resolved.set(id, resolveAnalyzerOptions(analyzer, values));
  }
  return {
    overrides,
    optionsOf: (analyzer) => resolved.get(analyzer.id) ?? resolveAnalyzerOptions(analyzer, undefined),
  };
}

/** The overrides that belong to the given analyzers (runAnalyzers rejects ids it does not run). */
export function overridesFor(overrides: AnalyzerOptionOverrides, analyzers: readonly Analyzer[]): AnalyzerOptionOverrides {
  const ids = new Set(analyzers.map((a) => a.id));
  return Object.fromEntries(Object.entries(overrides).filter(([id]) => ids.has(id)));
}
