import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { rollbackRatio } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('rollback_ratio');
  await t.exec('CREATE TABLE items (id int PRIMARY KEY)');
  const c = await t.client();
  for (let i = 0; i < 150; i++) {
    await c.query('BEGIN');
    await c.query('INSERT INTO items VALUES ($1)', [i]);
    await c.query('ROLLBACK');
  }
  await c.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
  await c.end();
  await new Promise((r) => setTimeout(r, t.serverVersionNum >= 150000 ? 100 : 700));
});
afterAll(async () => {
  await t.drop();
});

describe('rollback-ratio', () => {
  it('reports a high share of transactions ending in ROLLBACK', async () => {
    const [f] = await runAnalyzer(rollbackRatio, { snapshot: await snapshotOf(t), options: { minTransactions: 100 } });
    expect(Number(f?.evidence.rollbacks)).toBeGreaterThanOrEqual(150);
    expect(Number(f?.evidence.rollbackRatio)).toBeGreaterThan(0.05);
    expect(f?.title).toMatch(/of transactions roll back/);
  });

  it('stays silent under the minimum number of transactions or below the ratio', async () => {
    expect(await runAnalyzer(rollbackRatio, { snapshot: await snapshotOf(t), options: { minTransactions: 1e9 } })).toEqual([]);
    expect(await runAnalyzer(rollbackRatio, { snapshot: await snapshotOf(t), options: { minTransactions: 100, maxRatio: 0.99 } })).toEqual([]);
  });
});
