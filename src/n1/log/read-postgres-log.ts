import { statSync } from 'node:fs';
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
  /** stop when the prefix cannot tell sessions apart (N+1 grouping needs it; the logs report does not) */
  readonly requireSessions?: boolean;
}

/** Lines of one kind of problem: how many, and where the first ones are. */
class LineTally {
  count = 0;
  readonly at: number[] = [];
  add(line: number): void {
    this.count++;
    if (this.at.length < 5) this.at.push(line);
  }
  describe(what: string): string {
    return `${this.count} line(s) ${what} (line${this.at.length > 1 ? 's' : ''} ${this.at.join(', ')}${this.count > this.at.length ? ', …' : ''})`;
  }
}

const nonEmpty = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/** csvlog columns (PostgreSQL 13+): log_time, user, db, pid, host, session, …, severity 11, state 12, message 13, detail 14, … context 18, query 19, app 22. */
function csvRecord(f: readonly string[], line: number): LogRecord {
  return {
    timeMs: parseLogTime(f[0] ?? ''),
    session: f[5] !== '' && f[5] !== undefined ? f[5] : (f[3] ?? null),
    vxid: f[9] ?? null,
    db: f[2] ?? null,
    severity: f[11] ?? '',
    message: f[13] ?? '',
    detail: nonEmpty(f[14]),
    line,
    pid: nonEmpty(f[3]),
    user: nonEmpty(f[1]),
    app: nonEmpty(f[22]),
    host: nonEmpty(f[4]),
    sqlstate: nonEmpty(f[12]),
    statement: nonEmpty(f[19]),
    context: nonEmpty(f[18]),
  };
}

function jsonRecord(o: Record<string, unknown>, line: number): LogRecord {
  const str = (k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : typeof o[k] === 'number' ? String(o[k]) : null);
  return {
    timeMs: parseLogTime(str('timestamp') ?? ''),
    session: str('session_id') ?? str('pid'),
    vxid: str('vxid'),
    db: str('dbname'),
    severity: str('error_severity') ?? '',
    message: str('message') ?? '',
    detail: str('detail'),
    line,
    pid: str('pid'),
    user: str('user'),
    app: str('application_name'),
    host: str('remote_host'),
    sqlstate: str('state_code'),
    statement: str('statement'),
    context: str('context'),
  };
}

const parseJsonLine = (line: string): Record<string, unknown> | null => {
  try {
    const o = JSON.parse(line) as unknown;
    return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

const TIMESTAMP_START = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d/;
const CSV_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Za-z0-9+:-]+)?,/;
// U+FFFD (bytes that are not UTF-8) or control characters other than tab: not text a server writes
// eslint-disable-next-line no-control-regex -- control bytes are exactly what marks binary data
const GARBAGE = /[\uFFFD\u0000-\u0008\u000E-\u001F]/;

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
  const badJson = new LineTally();
  const garbage = new LineTally();
  const mismatched = new LineTally();
  const mixed = new LineTally();
  const skippedAt = new LineTally();
  const truncatedCsv = new LineTally();
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
      if (missing !== null && options.requireSessions !== false) {
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
      const iUser = idx('user');
      const iApp = idx('app');
      const iHost = idx('host');
      const iState = idx('sqlstate');
      let current: { -readonly [K in keyof LogRecord]: LogRecord[K] } | null = null;
      const flush = (): void => {
        if (current !== null && current.severity === 'LOG') countDb(current.db);
        if (current !== null) onRecord(current);
        current = null;
      };
      const other = (line: string): boolean => {
        // a line of jsonlog or csvlog inside a stderr log (files concatenated, destinations mixed)
        if (line.startsWith('{')) {
          const o = parseJsonLine(line);
          if (o === null || !('error_severity' in o)) return false;
          flush();
          mixed.add(lines);
          onRecord(jsonRecord(o, lines));
          return true;
        }
        if (!CSV_START.test(line)) return false;
        const f = new CsvAssembler().push(line);
        if (f === null || f.length < 14 || !/^[A-Z0-9]+$/.test(f[11] ?? '')) return false;
        flush();
        mixed.add(lines);
        onRecord(csvRecord(f, lines));
        return true;
      };
      handle = (line) => {
        const m = p.regex.exec(line);
        if (m === null) {
          if (GARBAGE.test(line)) {
            garbage.add(lines);
            return;
          }
          // a log line of another shape (%q: background processes print a shorter prefix) ends
          // the current record instead of being glued to its statement
          if (!line.startsWith('\t') && OTHER_RECORD.test(line)) {
            flush();
            return;
          }
          if (!line.startsWith('\t') && (line.startsWith('{') || TIMESTAMP_START.test(line))) {
            if (other(line)) return;
            // the server indents continuation lines with a tab: this is a cut or foreign log line
            flush();
            mismatched.add(lines);
            return;
          }
          if (current !== null) current.message += `\n${line.startsWith('\t') ? line.slice(1) : line}`;
          else {
            skipped++;
            skippedAt.add(lines);
          }
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
          pid: (iPid < 0 ? undefined : m[iPid + 1]) ?? null,
          user: (iUser < 0 ? undefined : m[iUser + 1]) ?? null,
          app: (iApp < 0 ? undefined : m[iApp + 1]) ?? null,
          host: (iHost < 0 ? undefined : m[iHost + 1]) ?? null,
          sqlstate: (iState < 0 ? undefined : m[iState + 1]) ?? null,
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
        if (f.length < 14 || !CSV_START.test(`${f[0] ?? ''},`)) {
          if (GARBAGE.test(line)) garbage.add(start);
          else truncatedCsv.add(start);
          return;
        }
        if (f[11] === 'LOG') countDb(f[2]);
        onRecord(csvRecord(f, start));
      };
      finish = () => {
        if (csv.pending) warnings.push(`${options.name}: the last csvlog record (line ${start}) is cut off (an unterminated quoted field); it was ignored`);
      };
    } else {
      handle = (line) => {
        if (line.trim() === '') return;
        const o = parseJsonLine(line);
        if (o === null) {
          if (GARBAGE.test(line)) garbage.add(lines);
          else badJson.add(lines);
          return;
        }
        const r = jsonRecord(o, lines);
        if (r.severity === 'LOG') countDb(r.db);
        onRecord(r);
      };
    }
  };

  const sizeBefore = path === '-' ? null : fileSize(path);
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
  const n = options.name;
  if (skipped > 0) warnings.push(`${n}: ${skippedAt.describe('matched no log record and were skipped')}`);
  if (garbage.count > 0) warnings.push(`${n}: ${garbage.describe('hold binary data (bytes that are not UTF-8 text) and were skipped')}`);
  if (mismatched.count > 0) warnings.push(`${n}: ${mismatched.describe(`start like a log line but do not match log_line_prefix '${prefix?.prefix ?? ''}' (cut lines, or another prefix) and were skipped`)}`);
  if (mixed.count > 0) warnings.push(`${n}: ${mixed.describe(`are in another format (jsonlog or csvlog inside a ${format ?? 'stderr'} log) and were read as such`)}`);
  if (badJson.count > 0) warnings.push(`${n}: ${badJson.describe('are not valid JSON (cut lines?) and were skipped')}`);
  if (truncatedCsv.count > 0) warnings.push(`${n}: ${truncatedCsv.describe('are not complete csvlog records (cut lines?) and were skipped')}`);
  const sizeAfter = path === '-' ? null : fileSize(path);
  if (sizeBefore !== null && sizeAfter !== null && sizeAfter !== sizeBefore) {
    warnings.push(`${n}: the file ${sizeAfter > sizeBefore ? 'grew' : 'shrank'} from ${sizeBefore} to ${sizeAfter} bytes while it was read (the server is writing to it); read up to line ${lines}`);
  }
  skipped += garbage.count + mismatched.count + badJson.count + truncatedCsv.count;
  if (databases.size > 1) {
    const top = [...databases.entries()].sort((a, b) => b[1] - a[1]);
    warnings.push(
      `${options.name}: the log interleaves ${databases.size} databases (${top.slice(0, 5).map(([d, n]) => `${d}: ${n}`).join(', ')}${top.length > 5 ? ', …' : ''} records); ` +
        'sessions are kept apart, and findings of every database are reported together',
    );
  }
  return { format: format ?? 'stderr', prefix: prefix?.prefix ?? null, lines, skippedLines: skipped, warnings, sessionIds, transactionIds, databases };
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
