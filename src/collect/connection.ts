import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { DbOptimizeError } from '../errors/index.ts';

export interface ConnectionOptions {
  /** connection URL; else DATABASE_URL; else libpq PG* variables and ~/.pgpass (resolved by pg) */
  readonly url?: string | undefined;
  readonly statementTimeoutMs?: number;
  readonly lockTimeoutMs?: number;
  /** pool size; capped at 3 so a production server never sees more from us */
  readonly maxConnections?: number;
  readonly applicationName?: string;
  readonly connectTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Read-write sessions. Only for commands whose explicit flag asks to change the server
   * (e.g. `config --apply` running ALTER SYSTEM); everything else stays read-only.
   */
  readonly readWrite?: boolean;
  /**
   * No session may become read-write, whatever the code above asks: `BEGIN READ WRITE`,
   * `SET … transaction_read_only` and rolled-back builds are refused before they reach the server
   * (the MCP server, where statements come from a model).
   */
  readonly lockReadOnly?: boolean;
  /** how long an idle pooled session is kept (default 5 s; a long-running server keeps them longer) */
  readonly idleTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 1_000;
export const MAX_CONNECTIONS = 3;
/**
 * Client-side limit beyond the server's statement_timeout: a server that is frozen (SIGSTOP, a
 * hung VM) never sends the cancel, so the client gives up on its own this long after it.
 */
import { CLIENT_TIMEOUT_MARGIN_MS, connectionLost } from '../errors/connection-lost.ts';

export { CLIENT_TIMEOUT_MARGIN_MS, connectionLost } from '../errors/connection-lost.ts';
/** Statements that may legitimately run for hours (CREATE INDEX CONCURRENTLY) pass this as query_timeout. */
export const NO_CLIENT_TIMEOUT_MS = 2_147_483_647;
/**
 * Appended to our own queries so the workload reader can leave them out of pg_stat_statements
 * (a leading comment would not survive: pg_stat_statements keeps the text from the first token).
 */
export const OWN_QUERY_MARKER = '/* db-optimize */';

/** Marks a statement as ours (idempotent). Every session from `Database.acquire()` does it by itself. */
export function markOwn(sql: string): string {
  return sql.trimEnd().endsWith(OWN_QUERY_MARKER) ? sql : `${sql}\n${OWN_QUERY_MARKER}`;
}

/**
 * Makes every text query sent on this client carry our marker, so statements we run for the user
 * (EXPLAIN ANALYZE, rewrite verification, what-if planning) never show up as their workload.
 */
function markAllQueries(client: pg.PoolClient, lockReadOnly: boolean): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const marked = (first: unknown, ...rest: unknown[]): unknown => {
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
    if (lockReadOnly && typeof text === 'string' && unlocksWrites(text)) {
      const refused = new DbOptimizeError('E_READ_ONLY', 'usage', 'refused: this session is locked read-only (it would make the session or transaction read-write)');
      // pg calls back instead of rejecting when a callback is given
      const callback = rest.find((r) => typeof r === 'function') as ((e: Error) => void) | undefined;
      if (callback !== undefined) {
        callback(refused);
        return undefined;
      }
      return Promise.reject(refused);
    }
    if (typeof first === 'string') return original(markOwn(first), ...rest);
    if (first !== null && typeof first === 'object' && typeof (first as { text?: unknown }).text === 'string' && !('submit' in first)) {
      return original({ ...(first as object), text: markOwn((first as { text: string }).text) }, ...rest);
    }
    return original(first, ...rest);
  };
  (client as unknown as { query: typeof marked }).query = marked;
}

/**
 * Statement texts that would lift read-only on a locked session: a read-write transaction, or a
 * change of (default_)transaction_read_only by SET, RESET, set_config or SESSION CHARACTERISTICS.
 */
export function unlocksWrites(sql: string): boolean {
  return /\bread\s+write\b/i.test(sql) || /\b(set|reset|set_config)\b[\s\S]*transaction_read_only/i.test(sql) || /\bsession\s+characteristics\b/i.test(sql);
}

export interface ResolvedConnection {
  readonly config: pg.PoolConfig;
  /** user@host:port/database, never the password */
  readonly display: string;
  readonly host: string;
  readonly database: string;
}

export function resolveConnection(options: ConnectionOptions): ResolvedConnection {
  const env = options.env ?? process.env;
  const url = options.url ?? env.DATABASE_URL;
  let config: pg.PoolConfig;
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//.test(url) && !/^\s*[A-Za-z_]+\s*=/.test(url)) {
      throw new DbOptimizeError('E_BAD_URL', 'usage', `not a PostgreSQL connection URL: ${redactUrl(url)}`, {
        hint: 'use postgresql://user@host:5432/dbname (or a libpq keyword string such as "host=... dbname=...")',
      });
    }
    const parsed = /^postgres(ql)?:\/\//.test(url) ? parseUrl(url) : withSslMode(parseKeywordString(url));
    config = { ...(parsed as pg.PoolConfig) };
    if (parsed.database === undefined || parsed.database === null || parsed.database === '') delete config.database;
  } else {
    // libpq variables, read from the given environment; pg looks the password up in ~/.pgpass when none is set
    config = {
      ...(env.PGHOST ? { host: env.PGHOST } : {}),
      ...(env.PGPORT ? { port: Number(env.PGPORT) } : {}),
      ...(env.PGUSER ? { user: env.PGUSER } : {}),
      ...(env.PGDATABASE ? { database: env.PGDATABASE } : {}),
      ...(env.PGPASSWORD ? { password: env.PGPASSWORD } : {}),
      ...(env.PGSSLMODE && env.PGSSLMODE !== 'disable' ? { ssl: env.PGSSLMODE === 'require' ? { rejectUnauthorized: false } : true } : {}),
    };
  }
  const host = String(config.host || env.PGHOST || 'localhost');
  const port = Number(config.port || env.PGPORT || 5432);
  const user = String(config.user || env.PGUSER || env.USER || 'postgres');
  const database = String(config.database || env.PGDATABASE || user);
  return {
    config,
    host,
    database,
    display: `${user}@${host}:${port}/${database}`,
  };
}

function parseUrl(url: string): ReturnType<typeof parseConnectionString> {
  try {
    return parseConnectionString(url);
  } catch (error) {
    throw new DbOptimizeError('E_BAD_URL', 'usage', `not a valid PostgreSQL connection URL: ${redactUrl(url)}`, {
      hint: 'use postgresql://user@host:5432/dbname; percent-encode special characters in the password',
      cause: error,
    });
  }
}

/**
 * libpq's sslmode in a keyword string (`host=… sslmode=require`): pg only reads it from URLs, so
 * without this the connection silently fell back to plaintext.
 */
function withSslMode(config: Record<string, string>): Record<string, unknown> {
  const { sslmode, ...rest } = config;
  if (sslmode === undefined || sslmode === 'disable' || sslmode === 'allow' || sslmode === 'prefer') return rest;
  if (sslmode === 'require') return { ...rest, ssl: { rejectUnauthorized: false } };
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') return { ...rest, ssl: true };
  throw new DbOptimizeError('E_BAD_URL', 'usage', `unknown sslmode "${sslmode}"`, { hint: 'use disable, allow, prefer, require, verify-ca or verify-full' });
}

function parseKeywordString(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g;
  for (const m of s.matchAll(re)) {
    const key = m[1] ?? '';
    let value = m[2] ?? '';
    if (value.startsWith("'")) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    out[key === 'dbname' ? 'database' : key] = value;
  }
  return out;
}

/** Hides the password of a URL, a scheme-less `user:pw@host/db` and a keyword string. */
export function redactUrl(url: string): string {
  return url
    .replace(/^((?:[a-z][\w+.-]*:\/\/)?[^:/@\s]*:)[^@\s]*@/i, '$1***@')
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]+)/gi, '$1***');
}

export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * The only handle on a database: every session is read-only by default, with statement and lock
 * timeouts and our application_name, and there are never more than three of them.
 */
export class Database implements Queryable {
  private readonly pool: pg.Pool;
  private readonly sessionSql: string;
  private readonly prepared = new WeakSet<pg.PoolClient>();
  private readonly lockReadOnly: boolean;
  readonly display: string;
  readonly host: string;
  readonly databaseName: string;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;

  private constructor(pool: pg.Pool, resolved: ResolvedConnection, statementTimeoutMs: number, lockTimeoutMs: number, readWrite = false, lockReadOnly = false) {
    this.pool = pool;
    this.lockReadOnly = lockReadOnly && !readWrite;
    this.sessionSql =
      `SELECT set_config('default_transaction_read_only', '${readWrite ? 'off' : 'on'}', false), ` +
      `set_config('statement_timeout', '${Math.trunc(statementTimeoutMs)}', false), ` +
      `set_config('lock_timeout', '${Math.trunc(lockTimeoutMs)}', false), set_config('application_name', 'db-optimize', false), ` +
      // our statements never enter pg_stat_statements where we may keep them out (the setting is superuser-only):
      // they would crowd out the user's statements (pg_stat_statements.max) and grow it on every run
      `CASE WHEN current_setting('is_superuser') = 'on' AND EXISTS (SELECT 1 FROM pg_settings WHERE name = 'pg_stat_statements.track') ` +
      `THEN set_config('pg_stat_statements.track', 'none', false) END ${OWN_QUERY_MARKER}`;
    this.display = resolved.display;
    this.host = resolved.host;
    this.databaseName = resolved.database;
    this.statementTimeoutMs = statementTimeoutMs;
    this.lockTimeoutMs = lockTimeoutMs;
  }

  static async connect(options: ConnectionOptions = {}): Promise<Database> {
    const resolved = resolveConnection(options);
    const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const max = Math.max(1, Math.min(options.maxConnections ?? MAX_CONNECTIONS, MAX_CONNECTIONS));
    const pool = new pg.Pool({
      ...resolved.config,
      max,
      application_name: options.applicationName ?? 'db-optimize',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: options.idleTimeoutMs ?? 5_000,
      // a dead peer is noticed by TCP keepalive, a frozen one by the client-side query timeout
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(statementTimeoutMs > 0 ? { query_timeout: statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS } : {}),
    });
    pool.on('error', () => undefined);
    // a backend killed right after it accepted the connection sends its FATAL before any query is
    // active: the client emits 'error' then, before acquire() runs; without a listener Node crashes
    pool.on('connect', (client) => client.on('error', () => undefined));
    const readWrite = options.readWrite === true;
    const db = new Database(pool, resolved, statementTimeoutMs, lockTimeoutMs, readWrite, options.lockReadOnly === true);
    try {
      const rows = await db.query<{ ro: string }>("SELECT current_setting('default_transaction_read_only') AS ro");
      if (rows[0]?.ro !== (readWrite ? 'off' : 'on')) throw new Error(readWrite ? 'session is not read-write' : 'session is not read-only');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw connectionError(error, resolved);
    }
    return db;
  }

  /**
   * A pooled session with our safety settings applied. Always release it. This is the only way
   * to a session: the pool itself is private so no code can skip the settings.
   */
  async acquire(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    if (!this.prepared.has(client)) {
      try {
        await client.query(this.sessionSql);
      } catch (error) {
        client.release(true);
        throw error;
      }
      markAllQueries(client, this.lockReadOnly);
      // a checked-out client whose server dies emits 'error': without a listener Node crashes
      // with "Unhandled 'error' event"; the pending query rejects anyway
      client.on('error', () => undefined);
      this.prepared.add(client);
    }
    return client;
  }

  async query<R extends object = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const client = await this.acquire();
    let broken = false;
    try {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as R[];
    } catch (error) {
      broken = connectionLost(error) !== null;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Runs fn on one pooled session. */
  async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let broken = false;
    try {
      return await fn(client);
    } catch (error) {
      broken = connectionLost(error) !== null;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs fn inside a transaction that is always rolled back. With `allowWrites` the
   * transaction is read-write (used for EXPLAIN ANALYZE of writes and sandbox index builds).
   */
  async inRolledBackTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>, options: { allowWrites?: boolean } = {}): Promise<T> {
    if (options.allowWrites === true && this.lockReadOnly) {
      throw new DbOptimizeError('E_READ_ONLY', 'usage', 'not done: this session is locked read-only, so nothing is built or written, not even in a rolled-back transaction');
    }
    return this.withClient(async (client) => {
      await client.query(options.allowWrites === true ? 'BEGIN READ WRITE' : 'BEGIN READ ONLY');
      let failure: unknown = null;
      try {
        return await fn(client);
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        // on a lost or frozen connection ROLLBACK would only queue behind the stuck statement;
        // the session is destroyed instead, which rolls back on the server
        if (failure === null || connectionLost(failure) === null) await client.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  /** Whether no session of this handle can become read-write (see ConnectionOptions.lockReadOnly). */
  get readOnlyLocked(): boolean {
    return this.lockReadOnly;
  }

  /**
   * The same pool behind a handle whose close() does nothing: a long-running server lends it to
   * each command, which closes its handle as usual while the sessions stay open for the next call.
   */
  borrowed(): Database {
    const view = Object.create(this) as Database;
    Object.defineProperty(view, 'close', { value: async (): Promise<void> => undefined });
    return view;
  }

  /** Ends the pool; a frozen server never answers the goodbye, so this waits at most a few seconds. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 3_000);
      timer.unref();
    });
    await Promise.race([this.pool.end().catch(() => undefined), limit]);
    clearTimeout(timer);
  }
}

interface PgErrorLike {
  code?: string;
  message?: string;
  errno?: number;
  address?: string;
  port?: number;
}

export function connectionError(error: unknown, resolved: ResolvedConnection): DbOptimizeError {
  const e = (error ?? {}) as PgErrorLike;
  const where = resolved.display;
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return new DbOptimizeError('E_CONNECT_REFUSED', 'connection', `could not connect to ${where}: connection refused`, {
        hint: 'is PostgreSQL running and listening there? Check --db, DATABASE_URL or PGHOST/PGPORT.',
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DbOptimizeError('E_CONNECT_HOST', 'connection', `could not connect to ${where}: unknown host ${resolved.host}`, {
        hint: 'check the host name in --db, DATABASE_URL or PGHOST.',
        cause: error,
      });
    case '28P01':
      return new DbOptimizeError('E_AUTH', 'connection', `password authentication failed for ${where}`, {
        hint: 'check the password in --db, PGPASSWORD or ~/.pgpass.',
        cause: error,
      });
    case '28000':
      return new DbOptimizeError('E_AUTH', 'connection', `the server rejected ${where}: ${message}`, {
        hint: 'check the user name and the server pg_hba.conf entry for this client.',
        cause: error,
      });
    case '3D000':
      return new DbOptimizeError('E_NO_DATABASE', 'connection', `database "${resolved.database}" does not exist on ${resolved.host}`, {
        hint: 'check the database name in --db, DATABASE_URL or PGDATABASE (psql -l lists them).',
        cause: error,
      });
    case '57P03':
      return new DbOptimizeError('E_STARTING', 'connection', `${where} is starting up or shutting down`, {
        hint: 'try again in a few seconds.',
        cause: error,
      });
    default:
      if (/timeout/i.test(message)) {
        return new DbOptimizeError('E_CONNECT_TIMEOUT', 'connection', `timed out connecting to ${where}`, {
          hint: 'check the host, port and firewall.',
          cause: error,
        });
      }
      if (/password/i.test(message) && /SASL|client password/i.test(message)) {
        return new DbOptimizeError('E_AUTH', 'connection', `the server at ${where} asks for a password and none was given`, {
          hint: 'put it in the URL, PGPASSWORD or ~/.pgpass.',
          cause: error,
        });
      }
      return new DbOptimizeError('E_CONNECT', 'connection', `could not connect to ${where}: ${message}`, {
        hint: 'check --db, DATABASE_URL or the PG* environment variables.',
        cause: error,
        details: e.code === undefined ? {} : { sqlstate: e.code },
      });
  }
}
