import type { AnalyzerTiming, Finding, Report, ReportDatabase, ReportSection, SkippedAnalyzer, Snapshot, Workload } from '../model/index.ts';
import { compareFindings } from './compare-findings.ts';
import { VERSION } from '../version.ts';

export interface BuildReportInput {
  readonly command: string;
  readonly generatedAt: string;
  readonly snapshot?: Snapshot | null;
  readonly database?: ReportDatabase;
  readonly findings: readonly Finding[];
  readonly skipped?: readonly SkippedAnalyzer[];
  readonly analyzers?: readonly AnalyzerTiming[];
  readonly workload?: Workload | null;
  readonly sections?: readonly ReportSection[];
  readonly extra?: Readonly<Record<string, unknown>>;
}

export function databaseInfo(snapshot: Snapshot, display?: string): ReportDatabase {
  return {
    name: snapshot.server.database,
    ...(display === undefined ? {} : { host: display }),
    serverVersion: snapshot.server.version.split(' on ')[0] ?? snapshot.server.version,
    serverVersionNum: snapshot.server.versionNum,
    statsResetAt: snapshot.server.statsResetAt,
    statsAgeSeconds: Math.round(snapshot.server.statsAgeSeconds),
    statsAgeBasis: snapshot.server.statsAgeBasis,
    uptimeSeconds: Math.round(snapshot.server.uptimeSeconds),
    extensions: snapshot.extensions.filter((e) => e.installedVersion !== null).map((e) => `${e.name} ${e.installedVersion}`),
  };
}

/** Assembles a Report; findings are ranked by severity then estimated gain. */
export function buildReport(input: BuildReportInput): Report {
  const database = input.database ?? (input.snapshot ? databaseInfo(input.snapshot) : {});
  const w = input.workload;
  return {
    tool: { name: 'db-optimize', version: VERSION },
    command: input.command,
    generatedAt: input.generatedAt,
    database,
    findings: [...input.findings].sort(compareFindings),
    skipped: input.skipped ?? [],
    ...(input.analyzers === undefined ? {} : { analyzers: input.analyzers }),
    ...(w === null || w === undefined
      ? {}
      : {
          workload: {
            source: w.source,
            statements: w.statements.length,
            totalTimeMs: Math.round(w.totalTimeMs * 100) / 100,
            windowSeconds: w.windowSeconds === undefined || w.windowSeconds === null ? null : Math.round(w.windowSeconds),
            issues: [...w.issues],
          },
        }),
    ...(input.sections === undefined ? {} : { sections: input.sections }),
    ...(input.extra ?? {}),
  };
}
