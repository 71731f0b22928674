import { ANALYZERS } from '../analyzers/registry.ts';
import { analyzeDatabase } from '../engine/analyze-database.ts';
import type { AnalysisResult } from '../engine/analyze-database.ts';
import type { Phase } from '../engine/analyzer.ts';
import type { CommandContext } from './command.ts';
import { analyzerOverrides, connect, depthOption, emitReport, failOnOption, flag, formatOption, numberOption, option, readBaseline } from './context-helpers.ts';

/** Command-specific top-level report fields computed from the analysis (documented in the schema). */
export type ReportExtras = (result: AnalysisResult) => Readonly<Record<string, unknown>>;

/** profile / full / demo share this: connect, analyze the chosen phases, report. */
export async function runAnalysisCommand(
  ctx: CommandContext,
  command: string,
  phases: readonly Phase[] | undefined,
  defaultDepth: number,
  extras?: ReportExtras,
  engine: { readonly sandboxWhatIf?: boolean } = {},
): Promise<number> {
  // every flag is checked before any work starts
  formatOption(ctx);
  failOnOption(ctx);
  numberOption(ctx, 'width', { min: 40, integer: true });
  const depth = depthOption(ctx, defaultDepth);
  const overrides = analyzerOverrides(ctx);
  const baseline = readBaseline(option(ctx, 'baseline'));
  const intervalSeconds = numberOption(ctx, 'interval', { min: 1 });
  const minCalls = numberOption(ctx, 'min-calls', { min: 0 });
  const minTimeMs = numberOption(ctx, 'min-time', { min: 0 });
  const workloadFile = option(ctx, 'workload');
  const db = await connect(ctx);
  try {
    ctx.logger.info(`connected to ${db.display} (read-only session)`);
    const result = await analyzeDatabase(db, {
      command,
      analyzers: ANALYZERS,
      ...(phases === undefined ? {} : { phases }),
      depth,
      options: overrides,
      baseline,
      logger: ctx.logger,
      showLiterals: flag(ctx, 'show-literals'),
      ...(workloadFile === undefined ? {} : { workloadFile }),
      ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
      ...(minCalls === undefined ? {} : { minCalls }),
      ...(minTimeMs === undefined ? {} : { minTimeMs }),
      ...(engine.sandboxWhatIf === true ? { sandboxWhatIf: true } : {}),
    });
    return await emitReport(ctx, extras === undefined ? result.report : { ...result.report, ...extras(result) });
  } finally {
    await db.close();
  }
}
