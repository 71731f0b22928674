import { SCHEMA_ANALYZERS } from '../analyzers/schema-analyzers.ts';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import type { Database } from '../collect/connection.ts';
import { runAnalyzers } from '../engine/run-analyzers.ts';
import { DbOptimizeError, isDbOptimizeError } from '../errors/index.ts';
import type { Finding, Report, ReportSection, Snapshot, Workload } from '../model/index.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { DDL_UNKNOWNS, snapshotFromDdlFiles } from '../schema-review/ddl-snapshot.ts';
import { tableShape } from '../schema-review/table-shape.ts';
import type { TimeSeriesRequest } from '../schema-review/table-shape.ts';
import { parseRetention, timeSeriesDesign } from '../schema-review/timeseries-design.ts';
import type { TimeSeriesDesign } from '../schema-review/timeseries-design.ts';
import { timeSeriesFinding, timeSeriesSection } from '../schema-review/timeseries-report.ts';
import { verifySchemaFindings } from '../schema-review/verify-schema-findings.ts';
import { wrapSqlLines } from '../schema-review/wrap-sql-lines.ts';
import { initSqlParser } from '../sql/index.ts';
import { workloadFromPgStatStatements } from '../workload/from-pg-stat-statements.ts';
import { workloadFromSqlFile } from '../workload/from-sql-file.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { analyzerOverrides, connect, flag, listOption, numberOption, option } from './flow-input.ts';
import { DEFAULT_RULES_PG_MAJOR, pgVersionOption, RULES_RANGE } from './pg-version.ts';

export const SCHEMA_OPTIONS = {
    ddl: { type: 'string', multiple: true, valueName: 'FILE', description: 'review CREATE TABLE/INDEX/ALTER statements from FILE (repeatable; also positional files)' },
    workload: { type: 'string', valueName: 'FILE.sql', description: 'workload with -- calls: N weights (else pg_stat_statements with --db)' },
    'pg-version': { type: 'string', valueName: 'N', description: 'PostgreSQL version assumed for DDL files (default 17)' },
    timeseries: { type: 'boolean', description: 'design a time-series table from the rate flags' },
    'rows-per-minute': { type: 'string', valueName: 'N', description: 'time series: rows inserted per minute (10,000 sensors each minute = 10000)' },
    'rows-per-second': { type: 'string', valueName: 'N', description: 'time series: rows per second instead' },
    retention: { type: 'string', valueName: '2y', description: 'time series: how long raw rows are kept (y, m, w, d)' },
    series: { type: 'string', valueName: 'N', description: 'time series: number of series (sensors), for rollup sizes' },
    'row-bytes': { type: 'string', valueName: 'N', description: 'time series: data bytes per row (default 24: int4 + timestamptz + float8)' },
    table: { type: 'string', valueName: 'NAME', description: 'time series: table name (default sensor_readings)' },
    'time-column': { type: 'string', valueName: 'NAME', description: 'time series: time column (default recorded_at)' },
    'series-column': { type: 'string', valueName: 'NAME', description: 'time series: series column (default sensor_id)' },
    'sample-rows': { type: 'string', valueName: 'N', description: 'rows read per data check with --db (default 100000)' },
    set: { type: 'string', multiple: true, valueName: 'ID.OPTION=VALUE', description: 'set an analyzer option' },
  } as const;

function timeSeriesRequest(input: FlowInput): TimeSeriesRequest | null {
  const perMinute = numberOption(input, 'rows-per-minute', { min: 0.0001 });
  const perSecond = numberOption(input, 'rows-per-second', { min: 0.0001 });
  const wanted = flag(input, 'timeseries') || perMinute !== undefined || perSecond !== undefined;
  if (!wanted) return null;
  if (perMinute === undefined && perSecond === undefined) {
    throw new DbOptimizeError('E_USAGE', 'usage', '--timeseries needs an ingest rate: --rows-per-minute N or --rows-per-second N', { hint: 'the seed sensor scenario: --timeseries --rows-per-minute 10000 --retention 2y' });
  }
  const retentionRaw = option(input, 'retention') ?? '1y';
  const retentionDays = parseRetention(retentionRaw);
  if (retentionDays === null) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--retention must look like 2y, 18m, 12w or 90d, got "${retentionRaw}"`);
  const rowBytes = numberOption(input, 'row-bytes', { min: 1, integer: true }) ?? null;
  const series = numberOption(input, 'series', { min: 1, integer: true }) ?? null;
  return {
    table: option(input, 'table') ?? 'sensor_readings',
    timeColumn: option(input, 'time-column') ?? null,
    seriesColumn: option(input, 'series-column') ?? null,
    rowsPerMinute: perMinute ?? (perSecond ?? 0) * 60,
    retentionDays,
    series,
    rowBytes,
  };
}

async function liveWorkload(input: FlowInput, db: Database): Promise<{ workload: Workload | null; reason?: string }> {
  try {
    return { workload: await workloadFromPgStatStatements(db, {}) };
  } catch (error) {
    if (!isDbOptimizeError(error)) throw error;
    input.logger.warn(`${error.message}; the denormalization check needs a workload (--workload FILE.sql)`);
    return { workload: null, reason: error.message };
  }
}

/** Schema review of a live database or DDL files, and time-series designs from rates. */
async function runSchema(input: FlowInput): Promise<Report> {
    await initSqlParser();
    const ddlFiles = [...listOption(input, 'ddl'), ...input.positionals];
    const url = option(input, 'db');
    if (ddlFiles.length > 0 && url !== undefined) throw new DbOptimizeError('E_USAGE', 'usage', 'give either --db or --ddl files, not both');
    const ts = timeSeriesRequest(input);
    const workloadFile = option(input, 'workload');
    const overrides = analyzerOverrides(input);
    const sampleRows = numberOption(input, 'sample-rows', { min: 1, integer: true }) ?? 100_000;
    const pgVersion = pgVersionOption(input, RULES_RANGE) ?? DEFAULT_RULES_PG_MAJOR;
    const sections: ReportSection[] = [];
    let findings: Finding[] = [];
    let snapshot: Snapshot | null = null;
    let db: Database | null = null;
    let skipped: { analyzer: string; reason: string }[] = [];
    let source: 'database' | 'ddl' | 'rates' = 'rates';
    try {
      const wantsSchema = ddlFiles.length > 0 || url !== undefined || ts === null || input.env.DATABASE_URL !== undefined;
      if (ddlFiles.length > 0) {
        snapshot = await snapshotFromDdlFiles(ddlFiles, pgVersion);
        source = 'ddl';
        const unknowns = DDL_UNKNOWNS.filter((u) => workloadFile === undefined || !u.startsWith('the workload'));
        sections.push({ id: 'unknown-without-data', title: 'Not known from DDL alone', lines: wrapSqlLines(unknowns.map((u) => `- ${u}`)) });
      } else if (wantsSchema) {
        db = await connect(input);
        snapshot = await collectSnapshot(db, { showLiterals: flag(input, 'show-literals') });
        source = 'database';
      }
      if (snapshot !== null) {
        let workload: Workload | null = null;
        let workloadReason: string | undefined;
        if (workloadFile !== undefined) workload = await workloadFromSqlFile(workloadFile);
        else if (db !== null) ({ workload, reason: workloadReason } = await liveWorkload(input, db));
        else workloadReason = 'no workload: give --workload FILE.sql (with -- calls: N weights) to check read patterns';
        const result = await runAnalyzers({ analyzers: SCHEMA_ANALYZERS, depth: 5, snapshot, workload, options: overrides, ...(workloadReason === undefined ? {} : { workloadReason }) });
        findings = [...result.findings];
        skipped = [...result.skipped];
        if (db !== null) findings = await verifySchemaFindings(db, snapshot, findings, { sampleRows, timeoutMs: 10_000 });
      }
      let design: TimeSeriesDesign | null = null;
      if (ts !== null) {
        // a table of the same name in the DDL files (or the database) gives the columns and the row width
        const shape = tableShape(snapshot, ts);
        design = timeSeriesDesign({
          table: shape?.table ?? ts.table,
          timeColumn: ts.timeColumn ?? shape?.timeColumn ?? 'recorded_at',
          seriesColumn: ts.seriesColumn ?? shape?.seriesColumn ?? 'sensor_id',
          rowsPerMinute: ts.rowsPerMinute,
          retentionDays: ts.retentionDays,
          startDate: new Date().toISOString().slice(0, 10),
          ...(shape === null ? {} : { columnsDdl: shape.columnsDdl, dataBytes: shape.dataBytes }),
          ...(shape?.valueColumn == null ? {} : { valueColumn: shape.valueColumn }),
          ...(ts.rowBytes === null ? {} : { dataBytes: ts.rowBytes }),
          ...(ts.series === null ? {} : { series: ts.series }),
          extensions: snapshot?.extensions.filter((e) => e.installedVersion !== null).map((e) => e.name) ?? [],
        });
        findings.push(timeSeriesFinding(design, ts));
        sections.push(timeSeriesSection(design));
      }
      const report = buildReport({
        command: 'schema',
        generatedAt: new Date().toISOString(),
        database: snapshot !== null && source === 'database' ? databaseInfo(snapshot, db?.display) : { source: source === 'ddl' ? `DDL: ${ddlFiles.join(', ')} (PostgreSQL ${pgVersion})` : 'rates given on the command line' },
        findings,
        skipped,
        sections,
        extra: {
          schemaReview: {
            source,
            tables: snapshot?.tables.length ?? 0,
            unknowns: source === 'ddl' ? [...DDL_UNKNOWNS] : [],
            ...(design === null ? {} : { timeseries: { interval: design.interval, partitions: design.partitions, engine: design.engine.choice, estimate: { ...design.estimate } } }),
          },
        },
      });
      return report;
    } finally {
      await db?.close();
    }
}

export const schemaFlow = defineFlow({ name: 'schema', common: ['connection', 'report'], options: SCHEMA_OPTIONS, configKeys: ['analyzers'], run: runSchema });

export type SchemaOptions = LibraryOptions<typeof SCHEMA_OPTIONS>;

export function schema(options: SchemaOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(schemaFlow, options, context);
}
