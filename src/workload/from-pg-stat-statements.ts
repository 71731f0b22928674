import type { Database } from '../collect/connection.ts';
import { OWN_QUERY_MARKER } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { Workload, WorkloadStatement } from '../model/index.ts';
import { displaySql, fingerprintSql, initSqlParser } from '../sql/index.ts';
import { quoteIdent } from '../sql/quote.ts';

type Row = Record<string, unknown>;

export interface PgStatStatementsOptions {
  /** take two readings this many seconds apart and use the difference */
  readonly intervalSeconds?: number;
  readonly minCalls?: number;
  /** minimum total time in ms */
  readonly minTimeMs?: number;
  /** all databases instead of the connected one */
  readonly allDatabases?: boolean;
  readonly onProgress?: (message: string) => void;
  /** injectable for tests */
  readonly sleep?: (ms: number) => Promise<void>;
  /** keep literals in statement texts (utility statements, DO blocks); passwords are removed regardless */
  readonly showLiterals?: boolean;
}

interface Reading {
  readonly key: string;
  readonly queryId: string;
  readonly text: string;
  readonly user: string | null;
  readonly database: string | null;
  readonly calls: number;
  readonly total: number;
  readonly sumSq: number;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly rows: number;
  readonly hit: number;
  readonly read: number;
  readonly tempRead: number;
  readonly tempWritten: number;
  readonly plan: number | null;
}

const READ_SQL = (all: boolean): string => `
SELECT to_jsonb(s) AS s, r.rolname AS user_name, d.datname AS db_name
FROM pg_stat_statements s
LEFT JOIN pg_roles r ON r.oid = s.userid
LEFT JOIN pg_database d ON d.oid = s.dbid
${all ? '' : 'WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())'}`;

/** Is pg_stat_statements usable here? Returns the reason when it is not. */
export async function pgStatStatementsStatus(db: Database): Promise<{ ok: true; statsReset: string | null } | { ok: false; reason: string }> {
  const ext = await db.query<{ extversion: string; schema: string }>(
    `SELECT e.extversion, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  if (ext.length === 0) {
    return {
      ok: false,
      reason:
        'pg_stat_statements is not installed in this database: add it to shared_preload_libraries, restart, and run CREATE EXTENSION pg_stat_statements',
    };
  }
  try {
    const info = await db.query<{ stats_reset: Date | null }>(`SELECT stats_reset FROM pg_stat_statements_info`);
    return { ok: true, statsReset: info[0]?.stats_reset?.toISOString() ?? null };
  } catch (error) {
    const message = (error as Error).message;
    if (/must be loaded via "?shared_preload_libraries/.test(message)) {
      return { ok: false, reason: 'pg_stat_statements is installed but not loaded: add it to shared_preload_libraries and restart PostgreSQL' };
    }
    return { ok: false, reason: `pg_stat_statements cannot be read: ${message}` };
  }
}

async function read(db: Database, all: boolean): Promise<Map<string, Reading>> {
  const rows = await db.query<{ s: Row; user_name: string | null; db_name: string | null }>(READ_SQL(all));
  const out = new Map<string, Reading>();
  for (const { s, user_name, db_name } of rows) {
    if (s.toplevel === false) continue; // nested statements are inside their caller's time
    if (String(s.query ?? '').trimEnd().endsWith(OWN_QUERY_MARKER)) continue; // our own catalog queries
    const calls = Number(s.calls ?? 0);
    const total = Number(s.total_exec_time ?? s.total_time ?? 0);
    const mean = Number(s.mean_exec_time ?? s.mean_time ?? 0);
    const stddev = Number(s.stddev_exec_time ?? s.stddev_time ?? 0);
    const queryId = String(s.queryid ?? '');
    // hidden rows have no queryid: without a key of their own they collapse into one and the
    // "N statements are hidden" count is wrong
    const hidden = s.query === '<insufficient privilege>' || s.queryid === null || s.queryid === undefined;
    const key = hidden ? `hidden:${out.size}` : `${String(s.userid)}:${String(s.dbid)}:${queryId}`;
    const plan = s.total_plan_time === undefined || s.total_plan_time === null ? null : Number(s.total_plan_time);
    const prev = out.get(key);
    const reading: Reading = {
      key,
      queryId,
      text: String(s.query ?? ''),
      user: user_name,
      database: db_name,
      calls,
      total,
      sumSq: (stddev * stddev + mean * mean) * calls,
      min: s.min_exec_time === undefined ? undefined : Number(s.min_exec_time),
      max: s.max_exec_time === undefined ? undefined : Number(s.max_exec_time),
      rows: Number(s.rows ?? 0),
      hit: Number(s.shared_blks_hit ?? 0),
      read: Number(s.shared_blks_read ?? 0),
      tempRead: Number(s.temp_blks_read ?? 0),
      tempWritten: Number(s.temp_blks_written ?? 0),
      plan,
    };
    out.set(key, prev === undefined ? reading : merge(prev, reading));
  }
  return out;
}

function merge(a: Reading, b: Reading): Reading {
  return {
    ...a,
    calls: a.calls + b.calls,
    total: a.total + b.total,
    sumSq: a.sumSq + b.sumSq,
    min: a.min === undefined || b.min === undefined ? (a.min ?? b.min) : Math.min(a.min, b.min),
    max: a.max === undefined || b.max === undefined ? (a.max ?? b.max) : Math.max(a.max, b.max),
    rows: a.rows + b.rows,
    hit: a.hit + b.hit,
    read: a.read + b.read,
    tempRead: a.tempRead + b.tempRead,
    tempWritten: a.tempWritten + b.tempWritten,
    plan: a.plan === null && b.plan === null ? null : (a.plan ?? 0) + (b.plan ?? 0),
  };
}

function diff(after: Reading, before: Reading | undefined): Reading {
  if (before === undefined || before.calls > after.calls) return after; // new, or evicted and re-entered
  return {
    ...after,
    calls: after.calls - before.calls,
    total: after.total - before.total,
    sumSq: Math.max(0, after.sumSq - before.sumSq),
    min: undefined,
    max: undefined,
    rows: after.rows - before.rows,
    hit: after.hit - before.hit,
    read: after.read - before.read,
    tempRead: after.tempRead - before.tempRead,
    tempWritten: after.tempWritten - before.tempWritten,
    plan: after.plan === null ? null : after.plan - (before.plan ?? 0),
  };
}

export function toStatement(r: Reading): WorkloadStatement {
  const mean = r.calls > 0 ? r.total / r.calls : 0;
  const variance = r.calls > 0 ? Math.max(0, r.sumSq / r.calls - mean * mean) : 0;
  const fingerprint = fingerprintSql(r.text);
  return {
    fingerprint,
    queryId: r.queryId,
    text: r.text,
    calls: r.calls,
    totalTimeMs: r.total,
    meanTimeMs: mean,
    stddevTimeMs: Math.sqrt(variance),
    ...(r.min === undefined ? {} : { minTimeMs: r.min }),
    ...(r.max === undefined ? {} : { maxTimeMs: r.max }),
    rows: r.rows,
    sharedBlksHit: r.hit,
    sharedBlksRead: r.read,
    tempBlksRead: r.tempRead,
    tempBlksWritten: r.tempWritten,
    planTimeMs: r.plan,
    source: 'pg_stat_statements',
    ...(r.user === null ? {} : { user: r.user }),
    ...(r.database === null ? {} : { database: r.database }),
    ...(fingerprint === null ? { parseError: 'the normalized text does not parse' } : {}),
  };
}

/**
 * Reads the workload from pg_stat_statements (never resets it). With an interval, two readings
 * are taken and only what happened in between is kept.
 */
export async function workloadFromPgStatStatements(db: Database, options: PgStatStatementsOptions = {}): Promise<Workload> {
  await initSqlParser();
  const status = await pgStatStatementsStatus(db);
  if (!status.ok) throw new DbOptimizeError('E_NO_PGSS', 'config', status.reason);
  const all = options.allDatabases === true;
  const issues: string[] = [];
  let readings: Reading[];
  let windowSeconds: number | null = null;
  if (options.intervalSeconds !== undefined && options.intervalSeconds > 0) {
    const first = await read(db, all);
    options.onProgress?.(`pg_stat_statements: first reading taken, waiting ${options.intervalSeconds}s for the second`);
    await (options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(options.intervalSeconds * 1000);
    const second = await read(db, all);
    readings = [...second.values()].map((r) => diff(r, first.get(r.key))).filter((r) => r.calls > 0);
    windowSeconds = options.intervalSeconds;
  } else {
    readings = [...(await read(db, all)).values()];
    if (status.statsReset !== null) {
      const age = await db.query<{ age: number }>(`SELECT extract(epoch FROM now() - $1::timestamptz)::float8 AS age`, [status.statsReset]);
      windowSeconds = age[0]?.age ?? null;
    }
  }
  const hidden = readings.filter((r) => r.text === '<insufficient privilege>').length;
  if (hidden > 0) {
    issues.push(
      `${hidden} statements of other roles are hidden: grant pg_read_all_stats to this role (GRANT pg_read_all_stats TO ${quoteIdent(await currentUser(db))})`,
    );
  }
  const minCalls = options.minCalls ?? 0;
  const minTime = options.minTimeMs ?? 0;
  const statements = readings
    .filter((r) => r.text !== '<insufficient privilege>' && r.calls >= minCalls && r.total >= minTime)
    // utility statements (CREATE ROLE … PASSWORD, DO blocks) keep their literals in pg_stat_statements
    .map((r) => toStatement({ ...r, text: displaySql(r.text, options.showLiterals === true) }))
    .sort((a, b) => b.totalTimeMs - a.totalTimeMs);
  return {
    source: 'pg_stat_statements',
    statements,
    ...(options.intervalSeconds === undefined ? {} : { intervalSeconds: options.intervalSeconds }),
    windowSeconds,
    totalTimeMs: statements.reduce((sum, s) => sum + s.totalTimeMs, 0),
    issues,
  };
}

async function currentUser(db: Database): Promise<string> {
  const rows = await db.query<{ u: string }>('SELECT current_user AS u');
  return rows[0]?.u ?? 'your_role';
}
