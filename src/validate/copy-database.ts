import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { formatBytes } from '../format/format.ts';
import { Database, resolveConnection } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';

/** Every copy's name starts with this, so a later run can find the ones a killed run left behind. */
export const COPY_PREFIX = 'dbopt_validate_';
const COMMENT_PREFIX = 'db-optimize validate copy ';

export interface CopyMarker {
  readonly pid: number;
  /** short hash of the host name: the pid only means something on the host that wrote it */
  readonly hostTag: string;
  readonly host?: string;
  readonly startedAt?: string;
  readonly source?: string;
}

export interface DatabaseCopy {
  readonly method: 'template';
  readonly database: string;
  readonly source: string;
  readonly createMs: number;
}

export function hostTag(host = hostname()): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 6);
}

/** dbopt_validate_<pid>_<host tag>_<random>: unique, and it says who made it even without its comment. */
export function copyName(pid = process.pid, host = hostname()): string {
  return `${COPY_PREFIX}${pid}_${hostTag(host)}_${randomBytes(4).toString('hex')}`;
}

export function parseCopyName(name: string): { pid: number; hostTag: string } | null {
  const m = /^dbopt_validate_(\d+)_([0-9a-f]{6})_[0-9a-f]+$/.exec(name);
  return m === null ? null : { pid: Number(m[1]), hostTag: m[2] ?? '' };
}

/** URL of another database on the same server, same credentials. */
export function urlForDatabase(url: string | undefined, env: NodeJS.ProcessEnv, database: string): string {
  const given = url ?? env.DATABASE_URL;
  if (given !== undefined && /^postgres(ql)?:\/\//.test(given)) {
    // keep every parameter of the user's URL (sslmode, sslrootcert, options…); only the database changes
    const u = new URL(given);
    u.pathname = `/${encodeURIComponent(database)}`;
    return u.toString();
  }
  const resolved = resolveConnection({ url, env });
  const c = resolved.config;
  const u = new URL('postgresql://localhost');
  u.hostname = String(c.host ?? env.PGHOST ?? 'localhost');
  if (u.hostname.startsWith('/')) {
    // a Unix socket directory: libpq URLs carry it as ?host=
    u.hostname = 'localhost';
    u.searchParams.set('host', String(c.host ?? env.PGHOST));
  }
  u.port = String(c.port ?? env.PGPORT ?? 5432);
  u.username = encodeURIComponent(String(c.user ?? env.PGUSER ?? env.USER ?? 'postgres'));
  const password = c.password ?? env.PGPASSWORD;
  if (typeof password === 'string' && password !== '') u.password = encodeURIComponent(password);
  u.pathname = `/${encodeURIComponent(database)}`;
  if (c.ssl !== undefined && c.ssl !== false) u.searchParams.set('sslmode', 'require');
  return u.toString();
}

/** A read-write session on the server's maintenance database: CREATE/DROP DATABASE cannot run from the source itself. */
export async function openAdmin(url: string | undefined, env: NodeJS.ProcessEnv, source: string): Promise<Database> {
  let lastError: unknown = null;
  for (const maintenance of ['postgres', 'template1']) {
    if (maintenance === source) continue;
    try {
      return await Database.connect({
        url: urlForDatabase(url, env, maintenance),
        env,
        readWrite: true,
        maxConnections: 1,
        applicationName: 'db-optimize-validate',
      });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof DbOptimizeError
    ? lastError
    : new DbOptimizeError('E_CONNECT', 'connection', 'cannot connect to the maintenance database (postgres or template1) to make the copy', {
        cause: lastError,
      });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Leftover {
  readonly database: string;
  readonly marker: CopyMarker;
  readonly dropped: boolean;
  readonly reason: string;
}

function markerOf(name: string, comment: string | null): CopyMarker | null {
  const fromName = parseCopyName(name);
  if (fromName === null) return null;
  if (comment?.startsWith(COMMENT_PREFIX) === true) {
    try {
      const parsed = JSON.parse(comment.slice(COMMENT_PREFIX.length)) as Partial<CopyMarker>;
      return {
        ...fromName,
        ...(parsed.host === undefined ? {} : { host: parsed.host }),
        ...(parsed.startedAt === undefined ? {} : { startedAt: parsed.startedAt }),
        ...(parsed.source === undefined ? {} : { source: parsed.source }),
      };
    } catch {
      return fromName;
    }
  }
  return fromName;
}

/**
 * Copies left by runs that died without cleaning up (kill -9, a crash, a lost machine): a copy
 * whose process is gone on this host is dropped; one from another host is only reported.
 */
export async function dropLeftovers(admin: Database, pid = process.pid, host = hostname()): Promise<Leftover[]> {
  const rows = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment FROM pg_database d WHERE d.datname LIKE 'dbopt\\_validate\\_%' ORDER BY 1`,
  );
  const out: Leftover[] = [];
  const here = hostTag(host);
  for (const r of rows) {
    const marker = markerOf(r.datname, r.comment);
    if (marker === null || marker.pid === pid) continue;
    if (marker.hostTag !== here) {
      out.push({
        database: r.datname,
        marker,
        dropped: false,
        reason: `made on another host${marker.host === undefined ? '' : ` (${marker.host})`}: drop it there, or run DROP DATABASE ${pg.escapeIdentifier(r.datname)} once that run is over`,
      });
      continue;
    }
    if (isAlive(marker.pid)) continue;
    // sessions on it mean a run is still using it (one in another PID namespace with the same host name)
    const busy = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [r.datname]);
    if ((busy[0]?.n ?? 0) > 0) {
      out.push({
        database: r.datname,
        marker,
        dropped: false,
        reason: `process ${marker.pid} is gone but ${busy[0]?.n} session(s) still use the copy: left alone`,
      });
      continue;
    }
    try {
      await dropCopy(admin, r.datname);
      out.push({
        database: r.datname,
        marker,
        dropped: true,
        reason: `process ${marker.pid} that made it${marker.startedAt === undefined ? '' : ` at ${marker.startedAt}`} is gone`,
      });
    } catch (error) {
      out.push({ database: r.datname, marker, dropped: false, reason: `cannot drop it: ${(error as Error).message}` });
    }
  }
  return out;
}

export async function dropCopy(admin: Database, name: string): Promise<void> {
  if (!name.startsWith(COPY_PREFIX)) throw new DbOptimizeError('E_INTERNAL', 'internal', `refusing to drop ${name}: not a validate copy`);
  // FORCE ends the replay's sessions, which may still be connected after an error or Ctrl-C
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}

async function checkCreatedb(admin: Database, source: string): Promise<void> {
  const rows = await admin.query<{ rolname: string; rolcreatedb: boolean; rolsuper: boolean; owns: boolean; istemplate: boolean | null }>(
    `SELECT r.rolname, r.rolcreatedb, r.rolsuper,
            COALESCE(pg_has_role(d.datdba, 'USAGE'), false) AS owns, d.datistemplate AS istemplate
     FROM pg_roles r LEFT JOIN pg_database d ON d.datname = $1
     WHERE r.rolname = current_user`,
    [source],
  );
  const me = rows[0];
  if (me === undefined) return;
  if (!me.rolcreatedb && !me.rolsuper) {
    throw new DbOptimizeError(
      'E_VALIDATE_NO_CREATEDB',
      'usage',
      `role "${me.rolname}" may not create databases, so validate cannot make its copy of "${source}" (nothing was run)`,
      {
        hint: `grant it with ALTER ROLE ${pg.escapeIdentifier(me.rolname)} CREATEDB, or run validate as a role that has CREATEDB and owns "${source}"`,
      },
    );
  }
  if (!me.rolsuper && !me.owns && me.istemplate !== true) {
    throw new DbOptimizeError(
      'E_VALIDATE_NOT_OWNER',
      'usage',
      `role "${me.rolname}" does not own "${source}": PostgreSQL only lets the owner (or a superuser) use it as a template (nothing was run)`,
      {
        hint: `run validate as the owner of "${source}", or against a staging copy you own`,
      },
    );
  }
}

/** The copy lands on the same disk as the source: a big one could fill it, so it takes an explicit limit. */
export const DEFAULT_MAX_COPY_BYTES = 20 * 1024 ** 3;

async function checkSize(admin: Database, source: string, maxBytes: number): Promise<void> {
  const rows = await admin.query<{ bytes: string }>('SELECT pg_database_size($1)::text AS bytes', [source]);
  const bytes = Number(rows[0]?.bytes ?? 0);
  if (bytes <= maxBytes) return;
  throw new DbOptimizeError(
    'E_VALIDATE_TOO_BIG',
    'usage',
    `"${source}" is ${formatBytes(bytes)}, more than the ${formatBytes(maxBytes)} validate copies without asking (nothing was run)`,
    {
      hint: 'the copy is made on the same server and disk: check the free space, then raise the limit with --max-copy-gb N, or run validate against a staging server',
    },
  );
}

async function sessionsOn(admin: Database, source: string): Promise<string[]> {
  const rows = await admin.query<{ who: string }>(
    `SELECT format('pid %s (%s%s)', pid, COALESCE(NULLIF(application_name, ''), 'no application name'), COALESCE(', ' || usename, '')) AS who
     FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid LIMIT 5`,
    [source],
  );
  return rows.map((r) => r.who);
}

/**
 * CREATE DATABASE <copy> TEMPLATE <source>, then marks it with who made it. PostgreSQL refuses
 * while any other session is connected to the source; that refusal ends the run (exit 2): we
 * never fall back to running on the source itself.
 */
export async function createCopy(
  admin: Database,
  source: string,
  options: { name?: string; maxBytes?: number; onCreated?: (name: string) => void } = {},
): Promise<DatabaseCopy> {
  await checkCreatedb(admin, source);
  await checkSize(admin, source, options.maxBytes ?? DEFAULT_MAX_COPY_BYTES);
  const name = options.name ?? copyName();
  const started = performance.now();
  try {
    await admin.withClient(async (c) => {
      // a big database takes longer to copy than our default statement timeout
      await c.query('SET statement_timeout = 0');
      try {
        await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(source)}`);
      } finally {
        await c.query('RESET statement_timeout');
      }
    });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === '55006') {
      const who = await sessionsOn(admin, source).catch(() => []);
      throw new DbOptimizeError(
        'E_VALIDATE_SOURCE_BUSY',
        'usage',
        `cannot copy "${source}": other sessions are connected to it${who.length > 0 ? ` (${who.join('; ')})` : ''}; nothing was run on it`,
        {
          hint:
            'CREATE DATABASE … TEMPLATE needs no other session on the source database. Stop the application for the copy (a few seconds for a small database), ' +
            'or — for a busy production database — run validate against a staging copy (pg_dump | pg_restore, or a restored backup).',
          cause: error,
        },
      );
    }
    if (e.code === '42501') {
      throw new DbOptimizeError('E_VALIDATE_NO_CREATEDB', 'usage', `cannot copy "${source}": ${e.message ?? 'permission denied'} (nothing was run)`, {
        hint: 'validate needs a role with CREATEDB that owns the source database',
        cause: error,
      });
    }
    throw new DbOptimizeError('E_VALIDATE_COPY', 'usage', `cannot copy "${source}": ${e.message ?? String(error)} (nothing was run on it)`, { cause: error });
  }
  options.onCreated?.(name);
  const marker = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), source };
  await admin.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(name)} IS ${pg.escapeLiteral(COMMENT_PREFIX + JSON.stringify(marker))}`);
  return { method: 'template', database: name, source, createMs: performance.now() - started };
}
