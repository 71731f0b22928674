import { DbOptimizeError } from '../../errors/index.ts';

export type PrefixField = 'time' | 'epoch' | 'pid' | 'session' | 'line' | 'vxid' | 'xid' | 'user' | 'db' | 'app' | 'host' | 'sqlstate' | 'other';

export interface CompiledPrefix {
  readonly prefix: string;
  /** escapes this version does not know, matched loosely */
  readonly unknownEscapes: readonly string[];
  /** matches prefix + severity + message; groups named f0…fn then sev and msg */
  readonly regex: RegExp;
  readonly fields: readonly PrefixField[];
}

const TIME = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?: [A-Za-z0-9+:\\-]+)?';
const ESCAPES: Readonly<Record<string, [PrefixField, string]>> = {
  m: ['time', TIME],
  t: ['time', TIME],
  s: ['other', TIME],
  n: ['epoch', '\\d+(?:\\.\\d+)?'],
  p: ['pid', '\\d+'],
  P: ['other', '\\d*'],
  c: ['session', '[0-9a-f]+\\.[0-9a-f]+'],
  l: ['line', '\\d+'],
  v: ['vxid', '(?:-?\\d+/-?\\d+)?'],
  x: ['xid', '\\d+'],
  // "[unknown]" before authentication (connection received lines)
  u: ['user', '\\[unknown\\]|[^\\s@,\\]]*?'],
  d: ['db', '\\[unknown\\]|[^\\s@,\\]]*?'],
  a: ['app', '.*?'],
  h: ['host', '[^\\s,\\]]*?'],
  r: ['host', '[^\\s,\\]]*?'],
  b: ['other', '.*?'],
  i: ['other', '.*?'],
  e: ['sqlstate', '[0-9A-Z]{5}'],
  Q: ['other', '-?\\d+'],
  L: ['host', '[^\\s,\\]]*?'],
};

export const SEVERITIES = 'DEBUG[1-5]?|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|HINT|QUERY|CONTEXT|STATEMENT|LOCATION';
export const RECOMMENDED_PREFIX = '%m [%p] %c %v %x ';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a log_line_prefix (the server setting's syntax) into a line regex. */
export function compilePrefix(prefix: string): CompiledPrefix {
  const fields: PrefixField[] = [];
  const unknownEscapes: string[] = [];
  let re = '';
  let optionalFrom = -1;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i] as string;
    if (ch !== '%') {
      re += escapeRe(ch);
      continue;
    }
    let j = i + 1;
    while (j < prefix.length && /[-0-9]/.test(prefix[j] as string)) j++;
    const code = prefix[j];
    i = j;
    if (code === '%') re += '%';
    else if (code === 'q') {
      optionalFrom = re.length;
    } else if (code !== undefined && ESCAPES[code] !== undefined) {
      const [field, pattern] = ESCAPES[code];
      re += `\\s*(${pattern})\\s*`;
      fields.push(field);
    } else if (code !== undefined && /[A-Za-z]/.test(code)) {
      // an escape of a newer server: match any text so the rest of the line still parses
      unknownEscapes.push(`%${code}`);
      re += '\\s*(.*?)\\s*';
      fields.push('other');
    } else {
      throw new DbOptimizeError('E_LOG_PREFIX', 'usage', `log_line_prefix "${prefix}" ends with a lone %`);
    }
  }
  if (optionalFrom >= 0) re = `${re.slice(0, optionalFrom)}(?:${re.slice(optionalFrom)})?`;
  return { prefix, unknownEscapes, regex: new RegExp(`^${re}(${SEVERITIES}):  ?(.*)$`), fields };
}

const SEV_AT = new RegExp(`^(.*?)\\b(${SEVERITIES}):  `);

/**
 * Guesses log_line_prefix from sample lines: the text before "LOG:  " is turned back into
 * escapes (timestamp → %m, [1234] → [%p], 65a1.4d2 → %c, 3/12 → %v, …).
 */
export function inferPrefix(lines: readonly string[]): CompiledPrefix | null {
  const prefixes = new Map<string, number>();
  for (const line of lines) {
    const m = SEV_AT.exec(line);
    if (m === null) continue;
    const raw = m[1] ?? '';
    const tokenized = raw.replace(
      /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+(?: [A-Za-z0-9+:-]+)?)|(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?: [A-Za-z0-9+:-]+)?)|(\b\d{10}\.\d{3}\b)|(\b[0-9a-f]{3,}\.[0-9a-f]+\b)|(\b-?\d+\/-?\d+\b)|\[(\d+)-(\d+)\]|\[(\d+)\]|(user=)[^,\s]*|(db=)[^,\s]*|(app=)[^,]*?(?=,|\s|$)|((?:client|host)=)[^,\s]*|([\w.-]+@[\w.-]+)|(\b\d+\b)/g,
      (...g: (string | undefined)[]) => {
        if (g[1] !== undefined) return '%m';
        if (g[2] !== undefined) return '%t';
        if (g[3] !== undefined) return '%n';
        if (g[4] !== undefined) return '%c';
        if (g[5] !== undefined) return '%v';
        if (g[6] !== undefined) return '[%p-%l]';
        if (g[8] !== undefined) return '[%p]';
        if (g[9] !== undefined) return 'user=%u';
        if (g[10] !== undefined) return 'db=%d';
        if (g[11] !== undefined) return 'app=%a';
        if (g[12] !== undefined) return `${g[12]}%h`;
        if (g[13] !== undefined) return '%u@%d';
        return '%x';
      },
    );
    prefixes.set(tokenized, (prefixes.get(tokenized) ?? 0) + 1);
  }
  // the longest common form wins: lines of non-session processes omit the %q part
  const ranked = [...prefixes.entries()].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length).map(([p]) => p);
  // two forms where one extends the other: the server's %q (session-only part of the prefix)
  const withQ: string[] = [];
  for (const long of ranked) {
    for (const short of ranked) {
      if (long !== short && long.startsWith(short) && short.length > 0) withQ.push(`${short}%q${long.slice(short.length)}`);
    }
  }
  for (const candidate of [...withQ, ...ranked]) {
    if (!/%[mtnpc]/.test(candidate)) continue;
    let compiled: CompiledPrefix;
    try {
      compiled = compilePrefix(candidate);
    } catch {
      continue;
    }
    const sample = lines.filter((l) => SEV_AT.test(l));
    const ok = sample.filter((l) => compiled.regex.test(l)).length;
    if (ok >= sample.length * 0.8) return compiled;
  }
  return null;
}

/** True when grouping can work; else the exact setting to use. */
export function prefixProblems(fields: readonly PrefixField[]): string | null {
  const hasSession = fields.includes('session') || fields.includes('pid');
  const hasTime = fields.includes('time') || fields.includes('epoch');
  if (hasSession && hasTime) return null;
  const missing = [hasSession ? null : 'a session id (%c) or process id (%p)', hasTime ? null : 'a timestamp (%m)'].filter((x) => x !== null).join(' and ');
  return missing;
}
