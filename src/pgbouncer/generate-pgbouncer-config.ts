import { DbOptimizeError } from '../errors/index.ts';
import { wrap } from '../format/wrap.ts';
import { atLeast } from './pgbouncer-version.ts';
import type { PgbouncerVersion } from './pgbouncer-version.ts';
import type { Breaker, BreakerKind } from './scan-transaction-pooling.ts';
import { BREAKER_ADVICE } from './scan-transaction-pooling.ts';

export type PoolMode = 'session' | 'transaction' | 'statement';
export const POOL_MODES = ['auto', 'session', 'transaction', 'statement'] as const;
export type PoolModeChoice = (typeof POOL_MODES)[number];
export const AUTH_TYPES = ['scram-sha-256', 'md5', 'plain', 'trust', 'hba', 'cert'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export interface PgbouncerInput {
  /** client connections at the peak: application instances × connections each */
  readonly clients: number;
  /** the server's max_connections */
  readonly serverMaxConnections: number;
  readonly superuserReserved: number;
  /** connections other clients (migrations, monitoring, other apps) need directly */
  readonly otherConnections: number;
  readonly cpus: number | null;
  readonly avgQueryMs: number | null;
  readonly readMostly: boolean;
  /** serverless / per-request clients: many short client connections */
  readonly serverless: boolean;
  readonly version: PgbouncerVersion;
  readonly poolMode: PoolModeChoice;
  /** null when no workload was scanned */
  readonly breakers: readonly Breaker[] | null;
  readonly database: { readonly alias: string; readonly host: string; readonly port: number; readonly dbname: string };
  readonly listenAddr: string;
  readonly listenPort: number;
  readonly authType: AuthType;
  readonly authFile: string;
  readonly authQuery: boolean;
  readonly adminUser: string;
  /** explicit max_prepared_statements; null = our choice */
  readonly preparedStatements: number | null;
}

export interface IniSetting {
  readonly section: 'databases' | 'pgbouncer';
  readonly key: string;
  readonly value: string;
  readonly why: string;
}

export interface PgbouncerPlan {
  readonly poolMode: PoolMode;
  readonly poolModeReason: string;
  readonly settings: readonly IniSetting[];
  readonly ini: string;
  readonly userlist: string;
  readonly authGuidance: readonly string[];
  readonly serverConnections: number;
  readonly warnings: readonly string[];
  readonly breakerKinds: readonly BreakerKind[];
}

function roundUp(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

/**
 * A drop-in pgbouncer.ini for a described workload, each value with its reason. Server-side
 * connections are bounded by what max_connections leaves after reserved and other users;
 * client-side slots are cheap and sized generously for bursts.
 */
export function generatePgbouncerConfig(input: PgbouncerInput): PgbouncerPlan {
  const v = input.version;
  const warnings: string[] = [];
  if (input.preparedStatements !== null && input.preparedStatements > 0 && !atLeast(v, 1, 21)) {
    throw new DbOptimizeError(
      'E_PGBOUNCER_FEATURE',
      'usage',
      `max_prepared_statements needs PgBouncer 1.21 or newer; the target is ${v.text} (${v.source === 'installed' ? 'installed' : v.source === 'flag' ? '--pgbouncer-version' : 'assumed'})`,
      { hint: 'upgrade PgBouncer, or drop --prepared-statements and disable protocol-level prepared statements in the driver' },
    );
  }
  if (input.authType === 'scram-sha-256' && !atLeast(v, 1, 14)) {
    throw new DbOptimizeError('E_PGBOUNCER_FEATURE', 'usage', `auth_type scram-sha-256 needs PgBouncer 1.14 or newer; the target is ${v.text}`, {
      hint: 'upgrade PgBouncer or pass --auth-type md5',
    });
  }
  const usable = input.serverMaxConnections - input.superuserReserved - input.otherConnections;
  if (usable < 2) {
    throw new DbOptimizeError(
      'E_NO_ROOM',
      'input',
      `max_connections ${input.serverMaxConnections} leaves ${usable} connections for PgBouncer after ${input.superuserReserved} superuser-reserved and ${input.otherConnections} for other clients`,
      { hint: 'lower --other-connections or raise max_connections' },
    );
  }

  // pool mode
  const breakers = input.breakers ?? [];
  const kinds = [...new Set(breakers.map((b) => b.kind))];
  let poolMode: PoolMode;
  let poolModeReason: string;
  if (input.poolMode === 'auto') {
    if (kinds.length > 0) {
      poolMode = 'session';
      poolModeReason = `session: the workload uses ${kinds.map((k) => BREAKER_ADVICE[k].title).join(', ')}, which break when clients share server connections per transaction; fix those (see below) and switch to transaction mode to multiplex ${input.clients} clients over far fewer server connections`;
    } else {
      poolMode = 'transaction';
      poolModeReason = `transaction: a server connection is lent for one transaction, so ${input.clients} ${input.serverless ? 'short-lived ' : ''}clients share a few server connections${input.breakers === null ? ' — no workload was scanned (pass --db, --workload FILE.sql or --log FILE): check the app for session SET, LISTEN, advisory locks, WITH HOLD cursors, SQL PREPARE and temp tables first' : ` — the scanned workload uses nothing that needs a session`}`;
    }
  } else {
    poolMode = input.poolMode;
    poolModeReason = `${poolMode}: as asked with --pool-mode`;
    if (poolMode !== 'session' && kinds.length > 0) {
      warnings.push(`pool_mode = ${poolMode} with a workload that uses ${kinds.map((k) => BREAKER_ADVICE[k].title).join(', ')}: these will misbehave until fixed`);
    }
    if (poolMode === 'statement') warnings.push('statement mode forbids multi-statement transactions: only for autocommit-only clients');
  }

  // server side
  const coreBudget = input.cpus === null ? null : input.cpus * 2 + 1;
  const ideal = coreBudget === null ? 20 : roundUp(coreBudget, 5);
  let pool = Math.max(1, Math.min(ideal, Math.floor(usable * 0.8)));
  let reserve = Math.max(1, Math.ceil(pool / 4));
  if (pool + reserve > usable) {
    reserve = Math.max(0, usable - pool);
    pool = Math.min(pool, usable);
  }
  if (poolMode === 'session' && pool < input.clients) {
    warnings.push(`session mode pins one server connection per client connection: only ${pool + reserve} of ${input.clients} clients can be connected at once; the rest wait (query_wait_timeout)`);
  }
  const serverConnections = pool + reserve;
  const minPool = Math.max(1, Math.ceil(pool / 4));
  const maxClient = roundUp(Math.max(100, input.clients * (input.serverless ? 4 : 2)), 100);
  const shortQueries = input.avgQueryMs === null ? input.readMostly || input.serverless : input.avgQueryMs <= 50;
  const queryWait = shortQueries ? 15 : 120;
  const prepared = input.preparedStatements ?? (atLeast(v, 1, 21) && poolMode !== 'session' ? 200 : null);

  const db = input.database;
  const settings: IniSetting[] = [
    {
      section: 'databases',
      key: db.alias,
      value: `host=${db.host} port=${db.port} dbname=${db.dbname}`,
      why: 'clients connect to PgBouncer with this database name; PgBouncer connects to the server with these parameters (no password here: it comes from auth_file / auth_query)',
    },
    { section: 'pgbouncer', key: 'listen_addr', value: input.listenAddr, why: 'where clients connect (use * or the private interface for remote clients)' },
    { section: 'pgbouncer', key: 'listen_port', value: String(input.listenPort), why: "PgBouncer's conventional port; point the application's DATABASE_URL here" },
    {
      section: 'pgbouncer',
      key: 'auth_type',
      value: input.authType,
      why: input.authType === 'scram-sha-256' ? 'SCRAM: the password never crosses the network and md5 is deprecated in PostgreSQL' : `as asked (${input.authType}); scram-sha-256 is the safer default`,
    },
    { section: 'pgbouncer', key: 'auth_file', value: input.authFile, why: 'user names with SCRAM secrets (or passwords) PgBouncer checks clients against and uses to log in to the server' },
    ...(input.authQuery
      ? [
          { section: 'pgbouncer' as const, key: 'auth_user', value: 'pgbouncer_auth', why: 'role PgBouncer logs in as to look other users up (its own secret is in auth_file)' },
          { section: 'pgbouncer' as const, key: 'auth_query', value: 'SELECT usename, passwd FROM pgbouncer.get_auth($1)', why: 'users not in auth_file are looked up in the server through a SECURITY DEFINER function (see the auth guidance)' },
        ]
      : []),
    { section: 'pgbouncer', key: 'admin_users', value: input.adminUser, why: 'may run SHOW POOLS / RELOAD / PAUSE on the admin console (database "pgbouncer")' },
    { section: 'pgbouncer', key: 'stats_users', value: input.adminUser, why: 'may read SHOW STATS for monitoring' },
    { section: 'pgbouncer', key: 'pool_mode', value: poolMode, why: poolModeReason },
    {
      section: 'pgbouncer',
      key: 'default_pool_size',
      value: String(pool),
      why:
        coreBudget === null
          ? `server connections per database/user pair; ${pool} (PgBouncer's default 20 capped at 80 % of the ${usable} usable) — pass --cpus to size it to the server's cores`
          : `server connections per database/user pair: ${input.cpus} cores × 2 + 1 = ${coreBudget} queries can run at once, rounded to ${ideal}${pool < ideal ? `, capped at 80 % of the ${usable} usable` : ''}`,
    },
    { section: 'pgbouncer', key: 'min_pool_size', value: String(minPool), why: `keeps ${minPool} server connections open when traffic stops, so the first burst${input.serverless ? ' after a quiet period (cold functions)' : ''} does not wait for new backends` },
    { section: 'pgbouncer', key: 'reserve_pool_size', value: String(reserve), why: `${reserve} extra server connections for bursts, only used when clients have waited reserve_pool_timeout` },
    { section: 'pgbouncer', key: 'reserve_pool_timeout', value: shortQueries ? '3' : '5', why: `short queries normally get a connection in milliseconds: waiting ${shortQueries ? 3 : 5} s means the pool is saturated` },
    {
      section: 'pgbouncer',
      key: 'max_db_connections',
      value: String(serverConnections),
      why: `hard cap on server connections to this database: pool + reserve = ${serverConnections} of max_connections ${input.serverMaxConnections}, leaving ${input.serverMaxConnections - serverConnections} for superusers (${input.superuserReserved}), migrations, monitoring and other clients`,
    },
    {
      section: 'pgbouncer',
      key: 'max_client_conn',
      value: String(maxClient),
      why: `${input.clients} clients × ${input.serverless ? 4 : 2} for bursts${input.serverless ? ' (serverless platforms run several instances of a function at once)' : ''}; client slots cost ~2 kB each. The process needs that many file descriptors: LimitNOFILE ≥ ${maxClient + serverConnections + 50}`,
    },
    { section: 'pgbouncer', key: 'server_lifetime', value: '3600', why: 'server connections are closed after an hour (when idle) so backend memory growth and DNS/failover changes are picked up' },
    { section: 'pgbouncer', key: 'server_idle_timeout', value: '300', why: 'server connections above min_pool_size idle for 5 minutes are closed, returning backend memory to the server' },
    {
      section: 'pgbouncer',
      key: 'query_wait_timeout',
      value: String(queryWait),
      why: `a client waiting ${queryWait} s for a server connection gets an error instead of hanging${input.serverless ? ' past the function timeout' : ''} (default 120)`,
    },
    { section: 'pgbouncer', key: 'idle_transaction_timeout', value: '30', why: 'a client idle inside a transaction for 30 s is disconnected: in transaction mode it pins a server connection' },
    {
      section: 'pgbouncer',
      key: 'server_reset_query',
      value: 'DISCARD ALL',
      why: poolMode === 'session' ? 'cleans session state before the connection goes to the next client' : 'only used in session mode; kept for a switch back',
    },
    { section: 'pgbouncer', key: 'ignore_startup_parameters', value: 'extra_float_digits', why: 'JDBC and some drivers send it at startup; PgBouncer would otherwise refuse the connection' },
    ...(prepared === null
      ? []
      : [
          {
            section: 'pgbouncer' as const,
            key: 'max_prepared_statements',
            value: String(prepared),
            why: `PgBouncer ${v.text} tracks protocol-level prepared statements per client, so drivers that prepare (asyncpg, JDBC, Prisma, node-postgres named queries) work in ${poolMode} mode`,
          },
        ]),
    { section: 'pgbouncer', key: 'log_connections', value: input.serverless ? '0' : '1', why: input.serverless ? 'serverless clients connect per invocation: logging each one floods the log' : 'useful to spot connection storms' },
    { section: 'pgbouncer', key: 'log_disconnections', value: input.serverless ? '0' : '1', why: 'same as log_connections' },
    { section: 'pgbouncer', key: 'tcp_keepalive', value: '1', why: 'detects dead clients and servers behind NAT or load balancers' },
  ];
  if (prepared === null && poolMode !== 'session') {
    warnings.push(
      `PgBouncer ${v.text} (${v.source}) has no max_prepared_statements (1.21+): disable protocol-level prepared statements in drivers — Prisma ?pgbouncer=true, asyncpg statement_cache_size=0, psycopg 3 prepare_threshold=None, JDBC prepareThreshold=0`,
    );
  }

  const ini = renderIni(settings, input);
  const userlist = '"app_user" "SCRAM-SHA-256$4096:<salt>$<stored key>:<server key>"\n';
  const authGuidance = [
    `auth_type = ${input.authType}: clients authenticate to PgBouncer; PgBouncer then logs in to PostgreSQL as the same user.`,
    `${input.authFile} holds one line per user: "name" "secret". Copy the SCRAM secret from the server (never a plain password in a shared file):`,
    "  psql -Atc \"SELECT format('\\\"%s\\\" \\\"%s\\\"', rolname, rolpassword) FROM pg_authid WHERE rolname = 'app_user'\" > userlist.txt",
    'The server must store SCRAM secrets (password_encryption = scram-sha-256, then ALTER ROLE … PASSWORD again) and pg_hba.conf must allow scram-sha-256 from the PgBouncer host.',
    'Make the file readable by the pgbouncer user only (chmod 600).',
    ...(input.authQuery
      ? [
          'auth_query (users not listed in auth_file), run once as a superuser in every database clients use:',
          '  CREATE ROLE pgbouncer_auth LOGIN PASSWORD \'…\';  -- and put its SCRAM secret in auth_file',
          '  CREATE SCHEMA pgbouncer AUTHORIZATION pgbouncer_auth;',
          '  CREATE FUNCTION pgbouncer.get_auth(p_usename text) RETURNS TABLE(usename name, passwd text)',
          "    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT rolname, rolpassword FROM pg_authid WHERE rolname = p_usename AND rolcanlogin $$;",
          '  REVOKE ALL ON FUNCTION pgbouncer.get_auth(text) FROM PUBLIC;',
          '  GRANT EXECUTE ON FUNCTION pgbouncer.get_auth(text) TO pgbouncer_auth;',
        ]
      : ['With many users, --auth-query adds auth_query so only one lookup role needs a secret in auth_file.']),
    `Point the application at PgBouncer: postgresql://app_user:…@<pgbouncer-host>:${input.listenPort}/${db.alias}`,
  ];
  return { poolMode, poolModeReason, settings, ini, userlist, authGuidance, serverConnections, warnings, breakerKinds: kinds };
}

function renderIni(settings: readonly IniSetting[], input: PgbouncerInput): string {
  const out: string[] = [
    `;; pgbouncer.ini generated by db-optimize for PgBouncer ${input.version.text}`,
    `;; ${input.clients} clients${input.serverless ? ' (serverless)' : ''} → PostgreSQL max_connections ${input.serverMaxConnections}`,
    '',
    '[databases]',
  ];
  let section: IniSetting['section'] = 'databases';
  for (const s of settings) {
    if (s.section !== section) {
      out.push('', `[${s.section}]`);
      section = s.section;
    }
    out.push(...wrap(s.why, 78, '; '), `${s.key} = ${s.value}`);
  }
  return `${out.join('\n')}\n`;
}
