import { DbOptimizeError } from '../../errors/index.ts';
import type { CompiledPrefix } from './log-line-prefix.ts';
import { compilePrefix, inferPrefix, prefixProblems, RECOMMENDED_PREFIX, SEVERITIES } from './log-line-prefix.ts';
import type { LogRecord } from './log-record.ts';
import { parseLogTime } from './log-record.ts';
import { forEachLine } from '../read-lines.ts';

export type LogFormat = 'stderr' | 'csvlog' | 'jsonlog';

export interface LogReadResult {
  readonly format: LogFormat;
  readonly prefix: string | null;
  readonly lines: number;
  /** lines that belong to no record (before the first one, or not a log line at all) */
  readonly skippedLines: number;
  readonly warnings: readonly string[];
  /** what tells sessions apart: %c (or csvlog/jsonlog session id), only the pid, or nothing */
  readonly sessionIds: 'session' | 'pid';
  /** %v (or csvlog/jsonlog): statements of one explicit transaction can be grouped */
  readonly transactionIds: boolean;
  /** statements per database, when the log names it (%d, csvlog, jsonlog) */
  readonly databases: ReadonlyMap<string, number>;
}

export interface LogReadOptions {
  readonly format?: LogFormat | 'auto';
  readonly logLinePrefix?: string;
  /** label for messages */
  readonly name: string;
}

const SAMPLE = 200;
const OTHER_RECORD = new RegExp(`^\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d.*?\\b(?:${SEVERITIES}):  `);

function detectFormat(sample: readonly string[]): LogFormat | null {
  const first = sample.find((l) => l.trim() !== '');
  if (first === undefined) return null;
  if (first.trimStart().startsWith('{')) {
    try {
      const o = JSON.parse(first) as Record<string, unknown>;
      if ('error_severity' in o || 'message' in o) return 'jsonlog';
    } catch {
      return null;
    }
    return null;
  }
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?( [A-Za-z0-9+:-]+)?,("[^"]*")?,/.test(first)) return 'csvlog';
  return 'stderr';
}

/** Splits CSV records that may span lines (quoted fields keep their newlines). */
class CsvAssembler {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private started = false;

  /** Feeds one line; returns the fields when a record is complete. */
  push(line: string): string[] | null {
    if (this.started && this.inQuotes) this.field += '\n';
    this.started = true;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (this.inQuotes) {
        if (c === '"') {
          if (line[i + 1] === '"') {
            this.field += '"';
            i++;
          } else this.inQuotes = false;
        } else this.field += c;
      } else if (c === '"') this.inQuotes = true;
      else if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
      } else this.field += c;
    }
    if (this.inQuotes) return null;
    this.fields.push(this.field);
    const out = this.fields;
    this.fields = [];
    this.field = '';
    this.started = false;
    return out;
  }

  get pending(): boolean {
    return this.started;
  }
}

/**
 * Streams a PostgreSQL log (stderr with any log_line_prefix, csvlog or jsonlog) line by line
 * and hands each record to `onRecord`. Memory stays constant whatever the file size.
 */
export async function readPostgresLog(path: string, stdin: NodeJS.ReadableStream, options: LogReadOptions, onRecord: (r: LogRecord) => void): Promise<LogReadResult> {
  const warnings: string[] = [];
  let lines = 0;
  let skipped = 0;
  let format: LogFormat | null = options.format === undefined || options.format === 'auto' ? null : options.format;
  let prefix: CompiledPrefix | null = options.logLinePrefix === undefined ? null : compilePrefix(options.logLinePrefix);
  const sample: string[] = [];
  let handle: ((line: string) => void) | null = null;
  let finish: () => void = () => undefined;
  let badJson = 0;
  let sessionIds: 'session' | 'pid' = 'session';
  let transactionIds = true;
  const databases = new Map<string, number>();
  const countDb = (db: string | null | undefined): void => {
    if (db !== null && db !== undefined && db !== '' && (databases.has(db) || databases.size < 1000)) databases.set(db, (databases.get(db) ?? 0) + 1);
  };

  const setup = (): void => {
    format ??= detectFormat(sample);
    if (format === null) {
      throw new DbOptimizeError('E_LOG_FORMAT', 'input', `${options.name}: not a PostgreSQL log we recognise (expected stderr lines with a log_line_prefix, csvlog or jsonlog)`, {
        hint: `the first line is: ${JSON.stringify((sample.find((l) => l.trim() !== '') ?? '').slice(0, 120))}`,
      });
    }
    if (format === 'stderr') {
      prefix ??= inferPrefix(sample);
      if (prefix === null) {
        throw new DbOptimizeError('E_LOG_FORMAT', 'input', `${options.name}: not a PostgreSQL log we recognise, or its log_line_prefix could not be inferred`, {
          hint: `pass --log-line-prefix with the server's setting (SHOW log_line_prefix), or set log_line_prefix = '${RECOMMENDED_PREFIX}'`,
        });
      }
      const missing = prefixProblems(prefix.fields);
      if (missing !== null) {
        throw new DbOptimizeError('E_LOG_PREFIX', 'input', `${options.name}: log_line_prefix '${prefix.prefix}' lacks ${missing}, so statements cannot be grouped into sessions and transactions`, {
          hint: `set log_line_prefix = '${RECOMMENDED_PREFIX}' (plus log_statement = 'all' or log_min_duration_statement = 0) and reload: SELECT pg_reload_conf()`,
        });
      }
      if (prefix.unknownEscapes.length > 0) {
        warnings.push(`log_line_prefix '${prefix.prefix}': unknown escape(s) ${prefix.unknownEscapes.join(', ')} matched as free text; check the grouping below`);
      }
      sessionIds = prefix.fields.includes('session') ? 'session' : 'pid';
      transactionIds = prefix.fields.includes('vxid');
      const p = prefix;
      const idx = (f: string): number => p.fields.indexOf(f as never);
      const iTime = idx('time');
      const iEpoch = idx('epoch');
      const iSession = idx('session');
      const iPid = idx('pid');
      const iVxid = idx('vxid');
      const iDb = idx('db');
      let current: { timeMs: number | null; session: string | null; vxid: string | null; db: string | null; severity: string; message: string; detail: null; line: number } | null = null;
      const flush = (): void => {
        if (current !== null && current.severity === 'LOG') countDb(current.db);
        if (current !== null) onRecord(current);
        current = null;
      };
      handle = (line) => {
        const m = p.regex.exec(line);
        if (m === null) {
          // a log line of another shape (%q: background processes print a shorter prefix) ends
          // the current record instead of being glued to its statement
          if (!line.startsWith('\t') && OTHER_RECORD.test(line)) {
            flush();
            return;
          }
          if (current !== null) current.message += `\n${line.startsWith('\t') ? line.slice(1) : line}`;
          else skipped++;
          return;
        }
        flush();
        const time = iTime < 0 ? undefined : m[iTime + 1];
        const epoch = iEpoch < 0 ? undefined : m[iEpoch + 1];
        current = {
          timeMs: time !== undefined ? parseLogTime(time) : epoch !== undefined ? Number(epoch) * 1000 : null,
          session: (iSession < 0 ? undefined : m[iSession + 1]) ?? (iPid < 0 ? undefined : m[iPid + 1]) ?? null,
          vxid: (iVxid < 0 ? undefined : m[iVxid + 1]) ?? null,
          db: (iDb < 0 ? undefined : m[iDb + 1]) ?? null,
          severity: m[p.fields.length + 1] ?? '',
          message: m[p.fields.length + 2] ?? '',
          detail: null,
          line: lines,
        };
      };
      finish = flush;
    } else if (format === 'csvlog') {
      const csv = new CsvAssembler();
      let start = 0;
      handle = (line) => {
        if (!csv.pending) start = lines;
        const f = csv.push(line);
        if (f === null) return;
        if (f.length < 14) {
          skipped++;
          return;
        }
        if (f[11] === 'LOG') countDb(f[2]);
        onRecord({
          timeMs: parseLogTime(f[0] ?? ''),
          session: f[5] !== '' && f[5] !== undefined ? f[5] : (f[3] ?? null),
          vxid: f[9] ?? null,
          db: f[2] ?? null,
          severity: f[11] ?? '',
          message: f[13] ?? '',
          detail: f[14] === undefined || f[14] === '' ? null : f[14],
          line: start,
        });
      };
      finish = () => {
        if (csv.pending) warnings.push(`${options.name}: the last csvlog record is cut off (an unterminated quoted field); it was ignored`);
      };
    } else {
      handle = (line) => {
        if (line.trim() === '') return;
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(line) as Record<string, unknown>;
        } catch {
          badJson++;
          skipped++;
          return;
        }
        const str = (k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : typeof o[k] === 'number' ? String(o[k]) : null);
        if (str('error_severity') === 'LOG') countDb(str('dbname'));
        onRecord({
          timeMs: parseLogTime(str('timestamp') ?? ''),
          session: str('session_id') ?? str('pid'),
          vxid: str('vxid'),
          db: str('dbname'),
          severity: str('error_severity') ?? '',
          message: str('message') ?? '',
          detail: str('detail'),
          line: lines,
        });
      };
      finish = () => {
        if (badJson > 0) warnings.push(`${options.name}: ${badJson} jsonlog line(s) are not valid JSON (cut lines?) and were skipped`);
      };
    }
  };

  try {
    await forEachLine(path, stdin, (line) => {
      lines++;
      if (handle === null) {
        sample.push(line);
        if (sample.length < SAMPLE) return;
        setup();
        lines -= sample.length;
        for (const l of sample.splice(0)) {
          lines++;
          (handle as unknown as (line: string) => void)(l);
        }
        return;
      }
      handle(line);
    });
  } catch (error) {
    if (error instanceof DbOptimizeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DbOptimizeError('E_LOG_READ', 'input', `cannot read log ${options.name}: ${code ?? (error as Error).message}`);
  }
  if (handle === null) {
    if (sample.every((l) => l.trim() === '')) {
      throw new DbOptimizeError('E_LOG_EMPTY', 'input', `${options.name}: the log is empty`);
    }
    setup();
    lines -= sample.length;
    for (const l of sample.splice(0)) {
      lines++;
      (handle as unknown as (line: string) => void)(l);
    }
  }
  finish();
  if (skipped > 0) warnings.push(`${options.name}: ${skipped} line(s) matched no log record and were skipped`);
  if (databases.size > 1) {
    const top = [...databases.entries()].sort((a, b) => b[1] - a[1]);
    warnings.push(
      `${options.name}: the log interleaves ${databases.size} databases (${top.slice(0, 5).map(([d, n]) => `${d}: ${n}`).join(', ')}${top.length > 5 ? ', …' : ''} records); ` +
        'sessions are kept apart, and findings of every database are reported together',
    );
  }
  return { format: format ?? 'stderr', prefix: prefix?.prefix ?? null, lines, skippedLines: skipped, warnings, sessionIds, transactionIds, databases };
}
