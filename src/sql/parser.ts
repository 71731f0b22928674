import { fingerprintSync, loadModule, normalizeSync, parseSync } from 'libpg-query';
import type { ParseResult } from 'libpg-query';
import { DbOptimizeError } from '../errors/index.ts';

let loading: Promise<void> | null = null;
let loaded = false;

/** Loads the WebAssembly parser once; every other function here needs it. */
export async function initSqlParser(): Promise<void> {
  if (loaded) return;
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  await loading;
}

function ensureLoaded(): void {
  if (!loaded) throw new Error('initSqlParser() must be awaited before using the SQL parser');
}

export interface SqlParseErrorDetails {
  readonly message: string;
  /** 0-based character offset in the statement */
  readonly position: number | null;
  readonly line: number | null;
  readonly column: number | null;
}

export function describeParseError(sql: string, error: unknown): SqlParseErrorDetails {
  const e = error as { message?: string; sqlDetails?: { cursorPosition?: number } };
  const position = typeof e.sqlDetails?.cursorPosition === 'number' && e.sqlDetails.cursorPosition >= 0 ? e.sqlDetails.cursorPosition : null;
  let line: number | null = null;
  let column: number | null = null;
  if (position !== null) {
    const before = sql.slice(0, position);
    line = before.split('\n').length;
    column = position - before.lastIndexOf('\n');
  }
  return { message: e.message ?? String(error), position, line, column };
}

/** Parses SQL with the real PostgreSQL parser; throws a DbOptimizeError with the position. */
export function parseSql(sql: string, origin = 'SQL'): ParseResult {
  ensureLoaded();
  try {
    return parseSync(sql);
  } catch (error) {
    const d = describeParseError(sql, error);
    const at = d.line === null ? '' : ` at line ${d.line}, column ${d.column}`;
    throw new DbOptimizeError('E_SQL_PARSE', 'input', `${origin} does not parse${at}: ${d.message}`, {
      hint: 'check the statement with psql; db-optimize uses the PostgreSQL 18 grammar.',
      details: { ...d },
      cause: error,
    });
  }
}

export function tryParseSql(sql: string): { ok: true; result: ParseResult } | { ok: false; error: SqlParseErrorDetails } {
  ensureLoaded();
  try {
    return { ok: true, result: parseSync(sql) };
  } catch (error) {
    return { ok: false, error: describeParseError(sql, error) };
  }
}

/** libpg_query fingerprint (the one pganalyze uses); null when the text does not parse. */
export function fingerprintSql(sql: string): string | null {
  ensureLoaded();
  try {
    return fingerprintSync(sql);
  } catch {
    return null;
  }
}

/** Replaces constants with $n placeholders; null when the text does not parse. */
export function normalizeSql(sql: string): string | null {
  ensureLoaded();
  try {
    // normalizeSync answers some parse errors with the error text instead of throwing, and that
    // text quotes the input (an unterminated PASSWORD 'abc…): only normalize what parses
    parseSync(sql);
    return normalizeSync(sql);
  } catch {
    return null;
  }
}

/**
 * Removes literals from a statement before it is shown: normalized when it parses, else
 * strings and numbers are masked (pg_stat_activity texts are often truncated).
 */
export function redactSql(sql: string): string {
  if (loaded) {
    const normalized = normalizeSql(sql);
    if (normalized !== null) return redactSecrets(normalized);
  }
  return sql
    .replace(/'(?:[^']|'')*'?/g, "'?'")
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?(\$\1\$|$)/g, "'?'")
    .replace(/(?<![\w$.])-?\d+(\.\d+)?(e[+-]?\d+)?\b/gi, '?');
}

/**
 * Removes passwords from DDL (CREATE/ALTER ROLE/USER … [ENCRYPTED] PASSWORD '…', user mapping
 * options): applied even when literals are shown on request.
 */
export function redactSecrets(sql: string): string {
  return sql
    .replace(/(\bPASSWORD\s+)('(?:[^']|'')*'?|E'(?:[^'\\]|\\.|'')*'?|\$([A-Za-z_]\w*)?\$[\s\S]*?(?:\$\3\$|$))/gi, "$1'***'")
    .replace(/(\bpassword\s+)('(?:[^']|'')*'?)(?=\s*[,)])/gi, "$1'***'");
}

/** Statement text for display: literals redacted unless asked for, secrets always. */
export function displaySql(sql: string, showLiterals: boolean): string {
  return showLiterals ? redactSecrets(sql) : redactSql(sql);
}
