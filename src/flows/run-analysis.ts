import { ANALYZERS } from '../analyzers/registry.ts';
import { analyzeDatabase } from '../engine/analyze-database.ts';
import type { AnalysisResult } from '../engine/analyze-database.ts';
import type { Phase } from '../engine/analyzer.ts';
import type { Report } from '../model/index.ts';
import type { FlowInput } from './flow.ts';
import { planReport } from '../report/plan-report.ts';
import { analyzerOverrides, connect, depthOption, flag, numberOption, option, readBaseline } from './flow-input.ts';

/** Command-specific top-level report fields computed from the analysis (documented in the schema). */
export type ReportExtras = (result: AnalysisResult) => Readonly<Record<string, unknown>>;

export const BASELINE_OPTION = {
  baseline: { type: 'string', valueName: 'report.json', description: 'compare with an earlier JSON report (regressions)' },
} as const;

/** profile / full / demo share this: connect, analyze the chosen phases, report. */
export async function runAnalysis(
  input: FlowInput,
  command: string,
  phases: readonly Phase[] | undefined,
  defaultDepth: number,
  extras?: ReportExtras,
  engine: { readonly sandboxWhatIf?: boolean } = {},
): Promise<Report> {
  // every option is checked before any work starts
  const depth = depthOption(input, defaultDepth);
  const overrides = analyzerOverrides(input);
  const baseline = readBaseline(option(input, 'baseline'));
  const intervalSeconds = numberOption(input, 'interval', { min: 1 });
  const minCalls = numberOption(input, 'min-calls', { min: 0 });
  const minTimeMs = numberOption(input, 'min-time', { min: 0 });
  const workloadFile = option(input, 'workload');
  const db = await connect(input);
  try {
    input.logger.info(`connected to ${db.display} (read-only session)`);
    const result = await analyzeDatabase(db, {
      command,
      analyzers: ANALYZERS,
      ...(phases === undefined ? {} : { phases }),
      depth,
      options: overrides,
      baseline,
      logger: input.logger,
      showLiterals: flag(input, 'show-literals'),
      ...(workloadFile === undefined ? {} : { workloadFile }),
      ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
      ...(minCalls === undefined ? {} : { minCalls }),
      ...(minTimeMs === undefined ? {} : { minTimeMs }),
      ...(engine.sandboxWhatIf === true ? { sandboxWhatIf: true } : {}),
    });
    // the action plan: problems by root cause, the seed's scorecard, "do these first"
    const planned = planReport(result.report, result.snapshot, result.workload);
    return extras === undefined ? planned : { ...planned, ...extras({ ...result, report: planned }) };
  } finally {
    await db.close();
  }
}
