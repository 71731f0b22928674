/** One log entry in any of the three formats, reduced to what grouping needs. */
export interface LogRecord {
  readonly timeMs: number | null;
  /** %c session id, else the pid */
  readonly session: string | null;
  readonly vxid: string | null;
  /** %d, when the prefix (or csvlog/jsonlog) has it */
  readonly db?: string | null;
  readonly severity: string;
  readonly message: string;
  /** csvlog/jsonlog carry DETAIL in the same record; stderr logs it on its own line */
  readonly detail: string | null;
  /** 1-based line where the record starts, for messages */
  readonly line: number;
  /** fields the logs report uses, when the format or the prefix carries them */
  readonly pid?: string | null;
  readonly user?: string | null;
  readonly app?: string | null;
  readonly host?: string | null;
  /** SQLSTATE (%e, csvlog/jsonlog) */
  readonly sqlstate?: string | null;
  /** csvlog/jsonlog: the statement an error belongs to (stderr logs a STATEMENT line) */
  readonly statement?: string | null;
  readonly context?: string | null;
}

let lastSecond = '';
let lastBase = 0;

/**
 * Parses a log timestamp; the zone is ignored (only gaps between entries matter). Logs are
 * chronological, so the base of the last second seen is kept — as a detached copy, because
 * a substring would keep the whole 1 MiB read chunk it came from alive.
 */
export function parseLogTime(text: string): number | null {
  const second = text.slice(0, 19);
  if (second !== lastSecond) {
    const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)/.exec(second);
    if (m === null) return null;
    lastBase = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    lastSecond = Buffer.from(second, 'latin1').toString('latin1');
  }
  const frac = text.charCodeAt(19) === 46 ? /^\.\d+/.exec(text.slice(19, 29))?.[0] : undefined;
  return lastBase + (frac === undefined ? 0 : Number(frac) * 1000);
}

/** `parameters: $1 = '5', $2 = NULL` → ['5', 'NULL'] (by position). */
export function parseParameters(detail: string): string[] | null {
  const at = detail.indexOf('parameters: ');
  if (at < 0) return null;
  const out: string[] = [];
  const re = /\$(\d+) = (NULL|'(?:[^']|'')*'?)/g;
  re.lastIndex = at;
  for (let m = re.exec(detail); m !== null; m = re.exec(detail)) {
    out[Number(m[1]) - 1] = m[2] === 'NULL' ? '\u0000NULL' : (m[2] ?? '').slice(1, -1).replace(/''/g, "'");
  }
  return out;
}
