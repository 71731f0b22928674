import { collectSnapshot } from '../../collect/collect-snapshot.ts';
import type { Database } from '../../collect/connection.ts';
import { runAnalyzers } from '../../engine/run-analyzers.ts';
import { DbOptimizeError, isDbOptimizeError } from '../../errors/index.ts';
import type { Finding, ReportSection, Snapshot, Workload } from '../../model/index.ts';
import { buildReport, databaseInfo } from '../../render/build-report.ts';
import { initSqlParser } from '../../sql/index.ts';
import { formatBytes, formatCount, quoteIdent } from '../../format/format.ts';
import { DDL_UNKNOWNS, snapshotFromDdlFiles } from '../../schema-review/ddl-snapshot.ts';
import { SCHEMA_ANALYZERS } from '../../analyzers/schema-analyzers.ts';
import { parseRetention, timeSeriesDesign } from '../../schema-review/timeseries-design.ts';
import type { TimeSeriesDesign } from '../../schema-review/timeseries-design.ts';
import { wrapSqlLines } from '../../schema-review/wrap-sql-lines.ts';
import { verifySchemaFindings } from '../../schema-review/verify-schema-findings.ts';
import { workloadFromPgStatStatements } from '../../workload/from-pg-stat-statements.ts';
import { workloadFromSqlFile } from '../../workload/from-sql-file.ts';
import type { Command, CommandContext } from '../command.ts';
import { analyzerOverrides, connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';

function listValues(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

interface TimeSeriesRequest {
  readonly table: string;
  readonly timeColumn: string | null;
  readonly seriesColumn: string | null;
  readonly rowsPerMinute: number;
  readonly retentionDays: number;
  readonly series: number | null;
  readonly rowBytes: number | null;
}

function timeSeriesRequest(ctx: CommandContext): TimeSeriesRequest | null {
  const perMinute = numberOption(ctx, 'rows-per-minute', { min: 0.0001 });
  const perSecond = numberOption(ctx, 'rows-per-second', { min: 0.0001 });
  const wanted = flag(ctx, 'timeseries') || perMinute !== undefined || perSecond !== undefined;
  if (!wanted) return null;
  if (perMinute === undefined && perSecond === undefined) {
    throw new DbOptimizeError('E_USAGE', 'usage', '--timeseries needs an ingest rate: --rows-per-minute N or --rows-per-second N', { hint: 'the seed sensor scenario: --timeseries --rows-per-minute 10000 --retention 2y' });
  }
  const retentionRaw = option(ctx, 'retention') ?? '1y';
  const retentionDays = parseRetention(retentionRaw);
  if (retentionDays === null) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--retention must look like 2y, 18m, 12w or 90d, got "${retentionRaw}"`);
  const rowBytes = numberOption(ctx, 'row-bytes', { min: 1, integer: true }) ?? null;
  const series = numberOption(ctx, 'series', { min: 1, integer: true }) ?? null;
  return {
    table: option(ctx, 'table') ?? 'sensor_readings',
    timeColumn: option(ctx, 'time-column') ?? null,
    seriesColumn: option(ctx, 'series-column') ?? null,
    rowsPerMinute: perMinute ?? (perSecond ?? 0) * 60,
    retentionDays,
    series,
    rowBytes,
  };
}

const TYPE_BYTES: Readonly<Record<string, number>> = {
  smallint: 2,
  integer: 4,
  bigint: 8,
  real: 4,
  'double precision': 8,
  boolean: 1,
  date: 4,
  'timestamp with time zone': 8,
  'timestamp without time zone': 8,
  uuid: 16,
};

/** Columns and data width of an existing table for the time-series design (widths of variable types are estimates). */
function tableShape(snapshot: Snapshot | null, ts: TimeSeriesRequest): { table: string; columnsDdl: string[]; dataBytes: number; timeColumn: string | null; seriesColumn: string | null; valueColumn: string | null } | null {
  const t = snapshot?.tables.find((x) => x.qualifiedName === ts.table || x.name === ts.table);
  if (t === undefined) return null;
  const columnsDdl = t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
  // align each column to its own width, as the heap does (8 for 8-byte types, 4 for int/date, 1 for bool)
  let bytes = 0;
  for (const c of t.columns) {
    const w = c.stats?.avgWidth ?? TYPE_BYTES[c.type] ?? (c.type.startsWith('numeric') ? 12 : c.type === 'jsonb' || c.type === 'json' ? 64 : 16);
    const align = w >= 8 ? 8 : w >= 4 ? 4 : 1;
    bytes = Math.ceil(bytes / align) * align + w;
  }
  const time = t.columns.find((c) => c.type.startsWith('timestamp') || c.type === 'date')?.name ?? null;
  const series = t.columns.find((c) => c.name !== 'id' && /_id$/.test(c.name))?.name ?? null;
  const value = t.columns.find((c) => c.name !== series && c.name !== 'id' && /^(real|double precision|numeric|integer|bigint|smallint)/.test(c.type))?.name ?? null;
  return { table: t.qualifiedName, columnsDdl, dataBytes: bytes, timeColumn: time, seriesColumn: series, valueColumn: value };
}

function timeSeriesFinding(d: TimeSeriesDesign, r: TimeSeriesRequest): Finding {
  return {
    rule: 'schema-time-series',
    severity: 'info',
    title: `Time-series design for ${d.table}: ${formatCount(d.estimate.totalRows)} rows, ~${formatBytes(d.estimate.totalBytes)} in PostgreSQL; ${d.partitions} partitions of 1 ${d.interval}; engine: ${d.engine.choice}`,
    target: { kind: 'table', relation: d.table },
    evidence: { rowsPerMinute: r.rowsPerMinute, retentionDays: r.retentionDays, interval: d.interval, partitions: d.partitions, estimate: { ...d.estimate }, engine: d.engine.choice },
    impact: { score: 10, bytes: d.estimate.totalBytes, summary: d.summaryLines.join('; ') },
    description: d.engine.reasons.join('; '),
    nextSteps: [d.partitionSql, d.scheduleSql, d.rollupSql, d.alertingSql, ...d.engine.alternatives],
    fix: { kind: 'migration', content: d.schemaSql, safety: 'safe', verified: false, verification: 'sizes computed from the ingest rate and PostgreSQL on-disk row layout; compression ratios are typical values, not measured', language: 'sql' },
  };
}

function timeSeriesSection(d: TimeSeriesDesign): ReportSection {
  return {
    id: 'timeseries',
    title: 'Time-series plan',
    lines: wrapSqlLines([...d.summaryLines, '', ...d.schemaSql.split('\n'), '', ...d.partitionSql.split('\n'), '', ...d.scheduleSql.split('\n'), '', ...d.rollupSql.split('\n'), '', ...d.alertingSql.split('\n'), '', ...d.engine.reasons.map((r) => `why: ${r}`), ...d.engine.alternatives.map((a) => `alternative: ${a}`)]),
  };
}

async function liveWorkload(ctx: CommandContext, db: Database): Promise<{ workload: Workload | null; reason?: string }> {
  try {
    return { workload: await workloadFromPgStatStatements(db, {}) };
  } catch (error) {
    if (!isDbOptimizeError(error)) throw error;
    ctx.logger.warn(`${error.message}; the denormalization check needs a workload (--workload FILE.sql)`);
    return { workload: null, reason: error.message };
  }
}

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'schema review: column types, normalization, missing keys, denormalization for read-heavy patterns, time-series design',
  usage: 'schema [--db URL | --ddl FILE…] [--workload FILE.sql] [--timeseries --rows-per-minute N --retention 2y]',
  help: [
    'Reviews a live database (--db, read-only; functional dependencies and orphaned foreign keys are checked on a bounded sample)',
    'or DDL files (--ddl, parsed with the PostgreSQL parser: sizes, statistics and data-based checks are unknown and listed).',
    'Denormalization needs a workload: pg_stat_statements on --db, or --workload FILE.sql with "-- calls: 10000/s" weights.',
    'Time series without a table: --timeseries --rows-per-minute 10000 --retention 2y [--table sensor_readings --time-column recorded_at',
    '--series-column sensor_id --row-bytes 24] prints the schema, partition plan, pg_partman/pg_cron schedule, rollups and storage estimate.',
  ].join('\n'),
  common: ['connection', 'report'],
  options: {
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
  },
  async run(ctx) {
    await initSqlParser();
    const ddlFiles = [...listValues(ctx, 'ddl'), ...ctx.positionals];
    const url = option(ctx, 'db');
    if (ddlFiles.length > 0 && url !== undefined) throw new DbOptimizeError('E_USAGE', 'usage', 'give either --db or --ddl files, not both');
    const ts = timeSeriesRequest(ctx);
    const workloadFile = option(ctx, 'workload');
    const overrides = analyzerOverrides(ctx);
    const sampleRows = numberOption(ctx, 'sample-rows', { min: 1, integer: true }) ?? 100_000;
    const pgVersion = numberOption(ctx, 'pg-version', { min: 9, max: 19, integer: true }) ?? 17;
    const sections: ReportSection[] = [];
    let findings: Finding[] = [];
    let snapshot: Snapshot | null = null;
    let db: Database | null = null;
    let skipped: { analyzer: string; reason: string }[] = [];
    let source: 'database' | 'ddl' | 'rates' = 'rates';
    try {
      const wantsSchema = ddlFiles.length > 0 || url !== undefined || ts === null || ctx.io.env.DATABASE_URL !== undefined;
      if (ddlFiles.length > 0) {
        snapshot = await snapshotFromDdlFiles(ddlFiles, pgVersion);
        source = 'ddl';
        const unknowns = DDL_UNKNOWNS.filter((u) => workloadFile === undefined || !u.startsWith('the workload'));
        sections.push({ id: 'unknown-without-data', title: 'Not known from DDL alone', lines: wrapSqlLines(unknowns.map((u) => `- ${u}`)) });
      } else if (wantsSchema) {
        db = await connect(ctx);
        snapshot = await collectSnapshot(db, { showLiterals: flag(ctx, 'show-literals') });
        source = 'database';
      }
      if (snapshot !== null) {
        let workload: Workload | null = null;
        let workloadReason: string | undefined;
        if (workloadFile !== undefined) workload = await workloadFromSqlFile(workloadFile);
        else if (db !== null) ({ workload, reason: workloadReason } = await liveWorkload(ctx, db));
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
      return await emitReport(ctx, report);
    } finally {
      await db?.close();
    }
  },
};
