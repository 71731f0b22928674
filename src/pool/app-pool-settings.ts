import type { PoolPlan } from './size-pool.ts';

export interface AppPoolSettings {
  readonly sqlalchemy: { readonly pool_size: number; readonly max_overflow: number; readonly pool_pre_ping: boolean; readonly pool_recycle: number; readonly pool_timeout: number };
  readonly nodePostgres: { readonly max: number; readonly idleTimeoutMillis: number; readonly connectionTimeoutMillis: number; readonly maxLifetimeSeconds: number };
  readonly prisma: { readonly connection_limit: number; readonly pool_timeout: number; readonly connect_timeout: number };
  /** ready-to-paste code, one block per library */
  readonly snippets: { readonly sqlalchemy: string; readonly nodePostgres: string; readonly prisma: string };
}

/**
 * Per-instance pool settings for three common clients, derived from the same budget so the
 * fleet never opens more than the server accepts. SQLAlchemy keeps pool_size connections open
 * and closes overflow ones on return; node-postgres and Prisma have one cap, so they get
 * pool + overflow and rely on the idle timeout to shrink back.
 */
export function appPoolSettings(plan: PoolPlan): AppPoolSettings {
  const r = plan.recommended;
  const cap = r.poolSize + r.maxOverflow;
  const sqlalchemy = { pool_size: r.poolSize, max_overflow: r.maxOverflow, pool_pre_ping: true, pool_recycle: r.maxLifetimeSeconds, pool_timeout: r.acquireTimeoutSeconds };
  const nodePostgres = { max: cap, idleTimeoutMillis: r.idleTimeoutSeconds * 1000, connectionTimeoutMillis: r.acquireTimeoutSeconds * 1000, maxLifetimeSeconds: r.maxLifetimeSeconds };
  const prisma = { connection_limit: cap, pool_timeout: r.acquireTimeoutSeconds, connect_timeout: 5 };
  return {
    sqlalchemy,
    nodePostgres,
    prisma,
    snippets: {
      sqlalchemy: [
        'engine = create_engine(',
        '    DATABASE_URL,',
        `    pool_size=${sqlalchemy.pool_size},        # kept open (fleet: ${r.steady})`,
        `    max_overflow=${sqlalchemy.max_overflow},     # bursts, closed on return (fleet: ${r.peak})`,
        '    pool_pre_ping=True,  # survives restarts and idle_session_timeout',
        `    pool_recycle=${sqlalchemy.pool_recycle},   # max lifetime in seconds`,
        `    pool_timeout=${sqlalchemy.pool_timeout},     # wait ${r.acquireTimeoutSeconds} s for a connection, then fail`,
        ')',
      ].join('\n'),
      nodePostgres: [
        'const pool = new pg.Pool({',
        '  connectionString: process.env.DATABASE_URL,',
        `  max: ${nodePostgres.max},  // pool ${r.poolSize} + ${r.maxOverflow} burst`,
        `  idleTimeoutMillis: ${nodePostgres.idleTimeoutMillis},`,
        `  connectionTimeoutMillis: ${nodePostgres.connectionTimeoutMillis},  // default 0 waits forever`,
        `  maxLifetimeSeconds: ${nodePostgres.maxLifetimeSeconds},  // pg >= 8.10`,
        '});',
      ].join('\n'),
      prisma: `?connection_limit=${prisma.connection_limit}&pool_timeout=${prisma.pool_timeout}&connect_timeout=${prisma.connect_timeout}`,
    },
  };
}
