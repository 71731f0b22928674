import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotOf, statement, workloadOf } from '../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../test/helpers/test-database.ts';
import { initSqlParser } from '../../sql/index.ts';
import { baselineMetrics, baselineSection, workloadQuantile } from './baseline-metrics.ts';

let t: TestDatabase;
beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('baseline_metrics');
});
afterAll(async () => {
  await t.drop();
});

describe('baseline metrics', () => {
  it('estimates the workload p95/p99 as a call-weighted mixture of mean ± stddev', () => {
    // one statement: the mixture is a single normal, p95 = mean + 1.645 sd
    expect(workloadQuantile(workloadOf([statement('SELECT 1', 100, 50, { stddevTimeMs: 10 })]), 0.95)).toBeCloseTo(66.45, 1);
    // the seed triage: 4.3M calls, 800k of them around 100 ms, so p95 lands in the sessions update's range
    const seed = workloadOf([
      statement('SELECT * FROM products WHERE category_id = $1', 1_000_000, 50),
      statement('INSERT INTO events (a) VALUES ($1)', 500_000, 5),
      statement('SELECT * FROM users WHERE id = $1', 2_000_000, 2),
      statement('UPDATE sessions SET data = $1 WHERE id = $2', 800_000, 100),
    ]);
    const p95 = workloadQuantile(seed, 0.95) ?? 0;
    const p99 = workloadQuantile(seed, 0.99) ?? 0;
    expect(p95).toBeGreaterThan(100);
    expect(p95).toBeLessThan(p99);
    expect(p99).toBeLessThan(250);
  });

  it('measures the seed targets on a real database and says what it cannot measure', async () => {
    const metrics = baselineMetrics(await snapshotOf(t), null);
    expect(metrics.map((m) => m.metric)).toEqual([
      'query_time_p95',
      'query_time_p99',
      'connection_pool_usage',
      'index_hit_ratio',
      'cache_hit_ratio',
      'n1_queries_per_request',
    ]);
    expect(metrics[0]).toMatchObject({ value: null, ok: null, display: 'n/a' });
    expect(metrics[2]?.ok).toBe(true);
    expect(metrics[5]?.note).toMatch(/db-optimize n1/);
    const section = baselineSection(metrics);
    expect(section.lines).toHaveLength(6);
    for (const line of section.lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});
