import { DbOptimizeError } from '../errors/index.ts';
import type { AnalyzerTiming, Finding, Report, SkippedAnalyzer, Snapshot, Workload } from '../model/index.ts';
import { compareFindings } from '../render/compare-findings.ts';
import type { RewriteVerifier } from '../rewrite/rewrite-verifier.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import type { Analyzer, OptionValue, Phase } from './analyzer.ts';
import { PHASES } from './analyzer.ts';
import { unmetRequirement } from './requirements.ts';
import { collectionSkips } from './collection-skips.ts';

export type { AnalyzerTiming };
export { compareFindings };

export type AnalyzerOptionOverrides = Readonly<Record<string, Readonly<Record<string, OptionValue>>>>;

export interface RunAnalyzersInput {
  readonly analyzers: readonly Analyzer[];
  readonly phases?: readonly Phase[];
  readonly depth: number;
  readonly snapshot: Snapshot | null;
  readonly workload: Workload | null;
  readonly whatIf?: WhatIfEngine | null;
  readonly rewriteVerifier?: RewriteVerifier | null;
  readonly baseline?: Report | null;
  readonly options?: AnalyzerOptionOverrides;
  /** why there is no workload, shown for analyzers that need one */
  readonly workloadReason?: string;
  readonly onProgress?: (event: { analyzer: string; phase: Phase; state: 'start' | 'done' | 'skipped' | 'error' }) => void;
}


export interface RunAnalyzersResult {
  readonly findings: readonly Finding[];
  readonly skipped: readonly SkippedAnalyzer[];
  readonly analyzers: readonly AnalyzerTiming[];
}

/** Resolves an analyzer's options: defaults, then overrides; unknown keys and wrong types are usage errors. */
export function resolveAnalyzerOptions(analyzer: Analyzer, overrides: Readonly<Record<string, OptionValue>> | undefined): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [key, spec] of Object.entries(analyzer.options)) out[key] = spec.default;
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const spec = (analyzer.options as Record<string, { default: OptionValue }>)[key];
    if (spec === undefined) {
      const known = Object.keys(analyzer.options).join(', ') || 'none';
      throw new DbOptimizeError('E_UNKNOWN_OPTION', 'usage', `analyzer ${analyzer.id} has no option "${key}" (options: ${known})`);
    }
    out[key] = coerceOption(analyzer.id, key, spec.default, value);
  }
  return out;
}

function coerceOption(id: string, key: string, def: OptionValue, value: OptionValue): OptionValue {
  if (typeof def === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw new DbOptimizeError('E_BAD_OPTION', 'usage', `option ${id}.${key} must be a number, got "${String(value)}"`);
    return n;
  }
  if (typeof def === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new DbOptimizeError('E_BAD_OPTION', 'usage', `option ${id}.${key} must be true or false, got "${String(value)}"`);
  }
  return String(value);
}


/**
 * Runs analyzers phase by phase (profile → diagnose → optimize → implement), concurrently
 * inside a phase. Unmet requirements become `skipped` entries; a throwing analyzer becomes an
 * `analyzer-error` finding and the run goes on.
 */
export async function runAnalyzers(input: RunAnalyzersInput): Promise<RunAnalyzersResult> {
  const findings: Finding[] = [];
  const skipped: SkippedAnalyzer[] = [];
  const timings: AnalyzerTiming[] = [];
  const phases = input.phases ?? PHASES;
  const whatIf = input.whatIf ?? null;
  // validate every override up front so a typo fails before any work
  const resolved = new Map<string, Record<string, OptionValue>>();
  const known = new Set(input.analyzers.map((a) => a.id));
  for (const id of Object.keys(input.options ?? {})) {
    if (!known.has(id)) throw new DbOptimizeError('E_UNKNOWN_ANALYZER', 'usage', `unknown analyzer "${id}" in options`);
  }
  for (const a of input.analyzers) resolved.set(a.id, resolveAnalyzerOptions(a, input.options?.[a.id]));

  for (const phase of phases) {
    const inPhase = input.analyzers.filter((a) => a.phase === phase && a.depth <= input.depth);
    await Promise.all(
      inPhase.map(async (analyzer) => {
        const reason = unmetRequirement(analyzer.requires, {
          snapshot: input.snapshot,
          workload: input.workload,
          whatIf,
          ...(input.workloadReason === undefined ? {} : { workloadReason: input.workloadReason }),
        });
        if (reason !== null) {
          skipped.push({ analyzer: analyzer.id, reason });
          input.onProgress?.({ analyzer: analyzer.id, phase, state: 'skipped' });
          return;
        }
        input.onProgress?.({ analyzer: analyzer.id, phase, state: 'start' });
        const started = performance.now();
        try {
          const produced = await analyzer.run({
            snapshot: input.snapshot as Snapshot,
            workload: input.workload,
            // values were checked against the specs' types by resolveAnalyzerOptions
            options: (resolved.get(analyzer.id) ?? {}) as never,
            whatIf,
            ...(analyzer.requires.rewriteVerifier === true ? { rewriteVerifier: input.rewriteVerifier ?? null } : {}),
            baseline: input.baseline ?? null,
          });
          findings.push(...produced);
          timings.push({ id: analyzer.id, phase, findings: produced.length, ms: Math.round(performance.now() - started) });
          input.onProgress?.({ analyzer: analyzer.id, phase, state: 'done' });
        } catch (error) {
          timings.push({ id: analyzer.id, phase, findings: 1, ms: Math.round(performance.now() - started) });
          findings.push(analyzerErrorFinding(analyzer.id, error));
          input.onProgress?.({ analyzer: analyzer.id, phase, state: 'error' });
        }
      }),
    );
  }
  skipped.push(...collectionSkips(input.snapshot));
  skipped.sort((a, b) => a.analyzer.localeCompare(b.analyzer));
  timings.sort((a, b) => PHASES.indexOf(a.phase as Phase) - PHASES.indexOf(b.phase as Phase) || a.id.localeCompare(b.id));
  return { findings: findings.sort(compareFindings), skipped, analyzers: timings };
}

export function analyzerErrorFinding(analyzerId: string, error: unknown): Finding {
  const message = error instanceof Error ? error.message : String(error);
  return {
    rule: 'analyzer-error',
    severity: 'warning',
    title: `Analyzer ${analyzerId} failed; its checks are missing from this report`,
    target: { kind: 'analyzer', name: analyzerId },
    evidence: { analyzer: analyzerId, error: message },
    impact: { score: 0, summary: 'unknown: the analyzer did not finish' },
    description: 'The rest of the report is unaffected. Run with --debug for the stack trace and report it if it persists.',
  };
}
