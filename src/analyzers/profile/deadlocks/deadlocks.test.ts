import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { deadlocks } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('deadlocks');
  await t.exec('CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 100), (2, 100)');
});
afterAll(async () => {
  await t.drop();
});

describe('deadlocks', () => {
  it('is silent in a database without deadlocks', async () => {
    expect(await runAnalyzer(deadlocks, { snapshot: await snapshotOf(t) })).toEqual([]);
  });

  it('reports a real deadlock between two sessions locking rows in opposite orders', async () => {
    const a = await t.client();
    const b = await t.client();
    await a.query("SET deadlock_timeout = '100ms'");
    await b.query("SET deadlock_timeout = '100ms'");
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
    await b.query('UPDATE accounts SET balance = balance - 1 WHERE id = 2');
    const results = await Promise.allSettled([
      a.query('UPDATE accounts SET balance = balance + 1 WHERE id = 2'),
      b.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1'),
    ]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([
      expect.stringMatching(/deadlock detected/),
    ]);
    await a.query('ROLLBACK');
    await b.query('ROLLBACK');
    await a.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    await b.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    await a.end();
    await b.end();
    await new Promise((r) => setTimeout(r, t.serverVersionNum >= 150000 ? 100 : 700));
    const [f] = await runAnalyzer(deadlocks, { snapshot: await snapshotOf(t) });
    expect(f?.evidence.deadlocks).toBe(1);
    expect(f?.title).toMatch(/^1 deadlock in /);
    expect(f?.nextSteps?.join(' ')).toMatch(/40P01/);
  });
});
