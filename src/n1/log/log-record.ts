/** One log entry in any of the three formats, reduced to what grouping needs. */
export interface LogRecord {
  readonly timeMs: number | null;
  /** %c session id, else the pid */
  readonly session: string | null;
  readonly vxid: string | null;
  readonly severity: string;
  readonly message: string;
  /** csvlog/jsonlog carry DETAIL in the same record; stderr logs it on its own line */
  readonly detail: string | null;
  /** 1-based line where the record starts, for messages */
  readonly line: number;
}

const timeCache = new Map<string, number>();

/** Parses a log timestamp; the zone is ignored (only gaps between entries matter). */
export function parseLogTime(text: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?/.exec(text);
  if (m === null) return null;
  const secondKey = text.slice(0, 19);
  let base = timeCache.get(secondKey);
  if (base === undefined) {
    base = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    if (timeCache.size > 10_000) timeCache.clear();
    timeCache.set(secondKey, base);
  }
  return base + (m[7] === undefined ? 0 : Number(m[7]) * 1000);
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
