import type { LogsError, LogsErrorExample } from './logs-model.ts';
import { inferSqlstate, messagePattern } from './sqlstate.ts';

interface Group {
  sqlstate: string | null;
  source: LogsError['sqlstateSource'];
  severity: string;
  count: number;
  readonly patterns: Map<string, number>;
  readonly examples: { -readonly [K in keyof LogsErrorExample]: LogsErrorExample[K] }[];
}

const MAX_GROUPS = 500;
const MAX_PATTERNS = 50;

/** Errors (and warnings, fatals, panics) by SQLSTATE, with up to three examples of different messages. */
export class ErrorStats {
  private readonly groups = new Map<string, Group>();

  /** Returns the example it kept (DETAIL and STATEMENT lines that follow fill it in), if any. */
  add(severity: string, message: string, sqlstate: string | null | undefined, time: string | null, line: number): { detail: string | null; statement: string | null } | null {
    const inferred = sqlstate === null || sqlstate === undefined || sqlstate === '' ? inferSqlstate(message) : null;
    const code = sqlstate === null || sqlstate === undefined || sqlstate === '' ? inferred : sqlstate;
    const source: LogsError['sqlstateSource'] = code === null ? 'unknown' : inferred === null ? 'logged' : 'inferred';
    const key = `${severity}:${code ?? ''}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      if (this.groups.size >= MAX_GROUPS) return null;
      g = { sqlstate: code, source, severity, count: 0, patterns: new Map(), examples: [] };
      this.groups.set(key, g);
    }
    g.count++;
    const pattern = messagePattern(message);
    const seen = g.patterns.get(pattern);
    if (seen !== undefined || g.patterns.size < MAX_PATTERNS) g.patterns.set(pattern, (seen ?? 0) + 1);
    if (g.examples.length >= 3 || (seen !== undefined && g.examples.length > 0)) return null;
    const example = { time, line, message: message.slice(0, 2000), detail: null, statement: null };
    g.examples.push(example);
    return example;
  }

  result(): LogsError[] {
    return [...this.groups.values()]
      .sort((a, b) => b.count - a.count || (a.sqlstate ?? '').localeCompare(b.sqlstate ?? ''))
      .map((g) => ({
        sqlstate: g.sqlstate,
        sqlstateSource: g.source,
        severity: g.severity,
        count: g.count,
        messages: [...g.patterns.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([pattern, count]) => ({ pattern, count })),
        examples: g.examples.map((e) => ({ ...e })),
      }));
  }
}
