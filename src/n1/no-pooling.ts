import type { Finding } from '../model/index.ts';

/**
 * Requests that each open their own connection (a `new Client()` per request): every
 * request pays a connection set-up (TLS, auth, backend fork: several ms) and a busy app
 * can exhaust max_connections. Raised from the capture when most requests do it.
 */
export function noPoolingFinding(file: string, requests: number, onFresh: number, connections: number): Finding | null {
  if (requests < 5 || onFresh / requests < 0.8) return null;
  return {
    rule: 'n1-no-pooling',
    severity: 'warning',
    title: 'A new database connection for every request (no connection pool)',
    target: { kind: 'file', location: file },
    evidence: { requests, requestsOnNewConnections: onFresh, connections },
    impact: {
      score: onFresh * 5,
      summary: `${onFresh} of ${requests} requests opened their own connection (~5 ms of connection set-up each, one backend process each)`,
    },
    description:
      'Each request connected with a new pg.Client (or a new ORM instance) instead of borrowing a connection from a pool. Connection set-up costs a backend fork, authentication and often TLS, and concurrent requests can exhaust max_connections.',
    nextSteps: ['with many app instances, put PgBouncer (transaction pooling) in front of PostgreSQL and keep each app pool small (see `db-optimize pool`)'],
    fix: {
      kind: 'code',
      language: 'typescript',
      content: [
        "import pg from 'pg';",
        '',
        '// once per process, not per request:',
        'export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, idleTimeoutMillis: 30_000 });',
        '// per request: await pool.query(...) — or const client = await pool.connect(); try { … } finally { client.release(); }',
        '# SQLAlchemy: one create_engine(url, pool_size=10, max_overflow=5, pool_pre_ping=True) per process, Session per request',
      ].join('\n'),
      safety: 'safe',
      verified: false,
      verification: 'expected: connections opened ≈ pool size instead of one per request; re-run the capture to confirm',
    },
  };
}
