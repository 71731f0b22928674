import { DbOptimizeError } from '../errors/index.ts';
import { logsSections, parseLogTime, runLogs } from '../logs/index.ts';
import type { Report } from '../model/index.ts';
import type { LogFormat } from '../n1/log/read-postgres-log.ts';
import { buildReport } from '../render/index.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { flag, numberOption, option, positionalsOr } from './flow-input.ts';

export const LOGS_OPTIONS = {
  since: { type: 'string', valueName: 'TIME', description: 'only records at or after TIME (YYYY-MM-DD[ HH:MM[:SS]], the log\'s own clock)' },
  until: { type: 'string', valueName: 'TIME', description: 'only records before TIME' },
  prefix: { type: 'string', valueName: 'PREFIX', description: "the server's log_line_prefix (default: inferred from the log)" },
  'log-format': { type: 'string', valueName: 'FORMAT', description: 'auto | stderr | csvlog | jsonlog (default auto)' },
  top: { type: 'string', valueName: 'N', description: 'statement shapes listed, by total time (default 50)' },
  'show-literals': { type: 'boolean', description: 'show literal values in logged statements (redacted by default)' },
} as const;

function timeOption(input: FlowInput, name: string): number | null {
  const v = option(input, name);
  if (v === undefined) return null;
  const full = /^\d{4}-\d\d-\d\d$/.test(v) ? `${v} 00:00:00` : /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d$/.test(v) ? `${v}:00` : v;
  const t = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(full) ? parseLogTime(full.replace('T', ' ')) : null;
  if (t === null) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--${name} "${v}" is not a time: use YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS`);
  return t;
}

/** A pgbadger-class workload report from PostgreSQL logs. */
async function runLogsFlow(input: FlowInput): Promise<Report> {
  const files = positionalsOr(input, 'files');
  if (files.length === 0) {
    throw new DbOptimizeError('E_USAGE', 'usage', 'logs needs a log file: db-optimize logs FILE… (- reads stdin)', {
      hint: "the server writes them under log_directory (SHOW log_directory); set log_min_duration_statement = 0 to log every statement's duration",
    });
  }
  const format = option(input, 'log-format');
  if (format !== undefined && !['auto', 'stderr', 'csvlog', 'jsonlog'].includes(format)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --log-format "${format}" (use auto, stderr, csvlog or jsonlog)`);
  }
  const prefix = option(input, 'prefix');
  const sinceMs = timeOption(input, 'since');
  const untilMs = timeOption(input, 'until');
  const top = numberOption(input, 'top', { min: 1, max: 10_000, integer: true }) ?? 50;
  const { logs, findings } = await runLogs(files, {
    sinceMs,
    untilMs,
    top,
    showLiterals: flag(input, 'show-literals'),
    stdin: input.stdin ?? process.stdin,
    ...(format === undefined ? {} : { format: format as LogFormat | 'auto' }),
    ...(prefix === undefined ? {} : { prefix }),
  });
  for (const w of logs.warnings) input.logger.warn(w);
  return buildReport({
    command: 'logs',
    generatedAt: new Date().toISOString(),
    database: { source: `PostgreSQL log (${logs.format})` },
    findings,
    sections: logsSections(logs),
    extra: { logs },
  });
}

export const logsFlow = defineFlow({ name: 'logs', common: ['report'], options: LOGS_OPTIONS, configKeys: ['files'], run: runLogsFlow });

export type LogsOptions = LibraryOptions<typeof LOGS_OPTIONS, { files?: readonly string[] }>;

export function logs(options: LogsOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(logsFlow, options, context);
}
