import type { Finding } from '../model/index.ts';
import type { LogFormat } from '../n1/log/read-postgres-log.ts';
import { readPostgresLog } from '../n1/log/read-postgres-log.ts';
import { initSqlParser } from '../sql/index.ts';
import { analyzePlans } from './analyze-plans.ts';
import { formatLogTime, LogAnalyzer } from './log-analyzer.ts';
import type { LogAnalyzerOptions } from './log-analyzer.ts';
import type { LogsSummary } from './logs-model.ts';

export interface RunLogsOptions extends LogAnalyzerOptions {
  readonly format?: LogFormat | 'auto';
  readonly prefix?: string;
  /** statement shapes listed (by total time); the rest are folded into `otherStatements` */
  readonly top?: number;
  readonly stdin?: NodeJS.ReadableStream;
}

/** Reads PostgreSQL logs (stderr, csvlog, jsonlog; gzip; "-" for stdin) into the workload report. */
export async function runLogs(files: readonly string[], options: RunLogsOptions = {}): Promise<{ logs: LogsSummary; findings: Finding[] }> {
  await initSqlParser();
  const analyzer = new LogAnalyzer(options);
  const warnings: string[] = [];
  const formats = new Set<string>();
  const prefixes = new Set<string>();
  let lines = 0;
  for (const file of files) {
    const before = analyzer.records;
    const r = await readPostgresLog(
      file,
      options.stdin ?? process.stdin,
      { name: file === '-' ? 'stdin' : file, requireSessions: false, ...(options.format === undefined ? {} : { format: options.format }), ...(options.prefix === undefined ? {} : { logLinePrefix: options.prefix }) },
      (rec) => analyzer.add(rec),
    );
    analyzer.finish();
    lines += r.lines;
    formats.add(r.format);
    if (r.prefix !== null) prefixes.add(r.prefix);
    warnings.push(...r.warnings.filter((w) => !w.includes('interleaves')));
    if (analyzer.records === before && r.lines > 0) {
      warnings.push(`${file}: none of its ${r.lines} line(s) was read as a log record${options.prefix === undefined ? '' : ` with --prefix '${options.prefix}'`}: check the format and the prefix (SHOW log_line_prefix)`);
    }
  }
  if (analyzer.outOfRange > 0) warnings.push(`${analyzer.outOfRange} record(s) outside --since/--until were left out`);
  if (analyzer.statements.queries === 0 && analyzer.records > 0) {
    warnings.push("no statement with its duration was found: set log_min_duration_statement = 0 (or a threshold in ms), or log_statement = 'all' with log_duration = on");
  }
  if (analyzer.identifier.unparsable > 0) warnings.push(`${analyzer.identifier.unparsable} statement shape(s) did not parse; they are grouped by their text with constants masked`);
  const { statements, other } = analyzer.statements.result(options.top ?? 50);
  const planned = analyzePlans(analyzer.plans, analyzer.identifier);
  if (planned.unreadable > 0) warnings.push(`${planned.unreadable} auto_explain plan(s) could not be read`);
  if (analyzer.locks.dropped > 0) warnings.push(`${analyzer.locks.dropped} lock wait(s) beyond the first 1000 were counted, not listed`);
  const logs: LogsSummary = {
    format: [...formats].join('+'),
    prefix: prefixes.size === 0 ? null : [...prefixes].join(' | '),
    lines,
    files: [...files],
    firstTime: formatLogTime(analyzer.firstMs),
    lastTime: formatLogTime(analyzer.lastMs),
    queries: analyzer.statements.queries,
    queriesTotalMs: Math.round(analyzer.statements.totalMs * 1000) / 1000,
    parseBindMs: Math.round(analyzer.parseBindMs * 1000) / 1000,
    statements,
    otherStatements: other,
    errors: analyzer.errors.result(),
    lockWaits: analyzer.locks.result(),
    tempFiles: analyzer.tempFiles.result(),
    checkpoints: analyzer.checkpoints.result(),
    autovacuum: analyzer.autovacuum.result(),
    connections: analyzer.connections.result(),
    plans: planned.plans,
    autoExplain: { plans: analyzer.plans.seen, totalMs: Math.round(analyzer.plans.totalMs * 1000) / 1000 },
    warnings,
  };
  return { logs, findings: planned.findings };
}
