import { collectSnapshot } from '../collect/collect-snapshot.ts';
import type { Database } from '../collect/connection.ts';
import { isDbOptimizeError } from '../errors/index.ts';
import type { Report, ReportSection, Snapshot, Workload } from '../model/index.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { createRewriteVerifier } from '../rewrite/rewrite-verifier.ts';
import { schemaFactsFromSnapshot } from '../rewrite/schema-facts.ts';
import { initSqlParser } from '../sql/index.ts';
import { HypopgEngine } from '../whatif/hypopg-engine.ts';
import { SandboxWhatIf } from '../whatif/sandbox-what-if.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import { workloadFromPgStatStatements } from '../workload/from-pg-stat-statements.ts';
import { workloadFromSqlFile } from '../workload/from-sql-file.ts';
import type { Analyzer, Phase } from './analyzer.ts';
import { runAnalyzers } from './run-analyzers.ts';
import type { AnalyzerOptionOverrides } from './run-analyzers.ts';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

export interface AnalyzeDatabaseOptions {
  readonly command: string;
  readonly analyzers: readonly Analyzer[];
  readonly phases?: readonly Phase[];
  readonly depth: number;
  readonly options?: AnalyzerOptionOverrides;
  /** SQL file used as the workload instead of pg_stat_statements */
  readonly workloadFile?: string;
  readonly intervalSeconds?: number;
  readonly minCalls?: number;
  readonly minTimeMs?: number;
  readonly baseline?: Report | null;
  readonly showLiterals?: boolean;
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly sections?: readonly ReportSection[];
  /**
   * without HypoPG, answer what-if questions with real index builds in rolled-back transactions
   * (each holds a SHARE lock on its table): only for a database that is ours, like the demo's
   */
  readonly sandboxWhatIf?: boolean;
}

export interface AnalysisResult {
  readonly report: Report;
  readonly snapshot: Snapshot;
  readonly workload: Workload | null;
}

/**
 * The whole pipeline on a live database: snapshot, workload, what-if engine when some analyzer
 * wants it, analyzers by phase, report. Nothing here writes to the database.
 */
export async function analyzeDatabase(db: Database, options: AnalyzeDatabaseOptions): Promise<AnalysisResult> {
  const log = options.logger ?? silentLogger;
  await initSqlParser();
  log.info('collecting catalog and statistics…');
  const snapshot = await collectSnapshot(db, { showLiterals: options.showLiterals === true });
  for (const issue of snapshot.issues) log.warn(`could not read ${issue.part}: ${issue.message}`);

  let workload: Workload | null = null;
  let workloadReason: string | undefined;
  try {
    if (options.workloadFile !== undefined) {
      workload = await workloadFromSqlFile(options.workloadFile);
    } else {
      log.info('reading pg_stat_statements…');
      workload = await workloadFromPgStatStatements(db, {
        ...(options.intervalSeconds === undefined ? {} : { intervalSeconds: options.intervalSeconds }),
        ...(options.minCalls === undefined ? {} : { minCalls: options.minCalls }),
        ...(options.minTimeMs === undefined ? {} : { minTimeMs: options.minTimeMs }),
        onProgress: (m) => log.info(m),
        showLiterals: options.showLiterals === true,
      });
    }
    for (const issue of workload.issues) log.warn(issue);
  } catch (error) {
    if (!isDbOptimizeError(error) || options.workloadFile !== undefined) throw error;
    workloadReason = error.message;
    log.warn(`${error.message}; continuing without workload analysis`);
  }

  const selected = options.analyzers.filter((a) => (options.phases ?? []).length === 0 || options.phases?.includes(a.phase));
  let whatIf: WhatIfEngine | null = null;
  if (selected.some((a) => a.requires.whatIf === true && a.depth <= options.depth)) {
    whatIf = await HypopgEngine.open(db).catch(() => null);
    if (whatIf === null && options.sandboxWhatIf === true) {
      log.info('HypoPG is not installed: index what-ifs are real builds inside rolled-back transactions');
      whatIf = new SandboxWhatIf(db, snapshot.server.versionNum);
    }
  }
  try {
    const result = await runAnalyzers({
      analyzers: selected,
      depth: options.depth,
      snapshot,
      workload,
      whatIf,
      // declared like the what-if engine: only analyzers asking for it get it, bounded by its own budget
      ...(selected.some((a) => a.requires.rewriteVerifier === true) ? { rewriteVerifier: createRewriteVerifier(db, schemaFactsFromSnapshot(snapshot), whatIf) } : {}),
      baseline: options.baseline ?? null,
      ...(options.options === undefined ? {} : { options: options.options }),
      ...(workloadReason === undefined ? {} : { workloadReason }),
      onProgress: (e) => {
        if (e.state === 'start') log.info(`${e.phase}: ${e.analyzer}…`);
        if (e.state === 'error') log.warn(`${e.phase}: ${e.analyzer} failed (see the report)`);
      },
    });
    const report = buildReport({
      command: options.command,
      generatedAt: (options.now ?? (() => new Date()))().toISOString(),
      database: databaseInfo(snapshot, db.display),
      findings: result.findings,
      skipped: result.skipped,
      analyzers: result.analyzers,
      workload,
      ...(options.sections === undefined ? {} : { sections: options.sections }),
    });
    return { report, snapshot, workload };
  } finally {
    await whatIf?.close();
  }
}
