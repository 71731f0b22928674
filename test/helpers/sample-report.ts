import type { Report } from '../../src/model/index.ts';

/** The one golden sample every renderer is tested with. */
export const SAMPLE_REPORT: Report = {
  tool: { name: 'db-optimize', version: '0.0.0-test' },
  command: 'profile',
  generatedAt: '2026-11-21T12:00:00.000Z',
  database: {
    name: 'shop',
    host: 'app@db.internal:5432/shop',
    serverVersion: 'PostgreSQL 15.20',
    serverVersionNum: 150020,
    statsResetAt: null,
    statsAgeSeconds: 864_000,
    uptimeSeconds: 864_000,
    extensions: ['pg_stat_statements 1.10', 'hypopg 1.3.1'],
  },
  workload: { source: 'pg_stat_statements', statements: 42, totalTimeMs: 136_500_000, windowSeconds: 864_000, issues: [] },
  findings: [
    {
      rule: 'top-statements',
      severity: 'warning',
      title: '#1 by total time (58.6 % of DB time): UPDATE sessions SET data = $1 WHERE id = $2',
      target: { kind: 'statement', fingerprint: 'a1b2c3d4e5f60718', queryId: '-123456789' },
      evidence: { query: 'UPDATE sessions SET data = $1 WHERE id = $2', calls: 800000, meanTimeMs: 100, p95EstimateMs: 231.6, percentilesAreEstimates: true },
      impact: { score: 8_000_000, msPerDay: 8_000_000, workloadShare: 0.586, summary: '22.2 h total over 800k calls (100 ms mean); estimated p95 232 ms' },
      description: 'Ranked by total time = calls × mean, the time this statement costs the database overall.',
      nextSteps: ['EXPLAIN (ANALYZE, BUFFERS) this statement with representative values'],
    },
    {
      rule: 'duplicate-indexes',
      severity: 'warning',
      title: 'Index public.users_email_idx2 duplicates public.users_email_idx (2.1 MB wasted)',
      target: { kind: 'index', relation: 'public.users', index: 'public.users_email_idx2' },
      evidence: { duplicate: 'public.users_email_idx2', kept: 'public.users_email_idx', sizeBytes: 2_203_648 },
      impact: { score: 3.1, bytes: 2_203_648, summary: 'frees 2.1 MB' },
      fix: {
        kind: 'sql',
        content: 'DROP INDEX CONCURRENTLY public.users_email_idx2;',
        rollback: 'CREATE INDEX CONCURRENTLY users_email_idx2 ON public.users USING btree (email);',
        lockLevel: 'SHARE UPDATE EXCLUSIVE',
        safety: 'safe',
        verified: true,
        verification: 'catalog fact',
      },
    },
    {
      rule: 'cache-hit-ratio',
      severity: 'info',
      title: 'Buffer cache hit ratio is 99.1 % (target > 95 %)',
      target: { kind: 'database', name: 'shop' },
      evidence: { hitRatio: 0.991, blocksHit: 991_000, blocksRead: 9_000, worstTables: [{ table: 'public.orders', hitRatio: 0.9 }] },
      impact: { score: 0, summary: 'healthy: nothing to gain' },
    },
  ],
  skipped: [{ analyzer: 'index-advisor', reason: 'needs the what-if engine: install HypoPG on the server (CREATE EXTENSION hypopg)' }],
  analyzers: [{ id: 'top-statements', phase: 'profile', findings: 1, ms: 3 }],
};
