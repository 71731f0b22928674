import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf, statement, workloadOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { tempFiles } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('temp_files');
  await t.exec('CREATE TABLE orders (id int, total numeric); INSERT INTO orders SELECT g, random() * 100 FROM generate_series(1, 100000) g');
});
afterAll(async () => {
  await t.drop();
});

const SORT = 'SELECT * FROM orders ORDER BY total';

describe('temp-files', () => {
  it('is silent while nothing spilled to disk', async () => {
    const snapshot = await snapshotOf(t);
    // a recycled database oid can briefly inherit counters on a busy shared server: the rule is "a finding iff bytes were written"
    const written = snapshot.database?.tempBytes ?? 0;
    expect((await runAnalyzer(tempFiles, { snapshot, options: { maxBytesPerDay: 1 } })).length).toBe(written === 0 ? 0 : 1);
  });

  it('reports temporary file volume after a sort that exceeds work_mem, naming the spilling statement', async () => {
    const c = await t.client();
    await c.query("SET work_mem = '64kB'");
    await c.query(SORT);
    await c.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    await c.end();
    await new Promise((r) => setTimeout(r, t.serverVersionNum >= 150000 ? 100 : 700));
    const workload = workloadOf([statement(SORT, 1, 80, { tempBlksWritten: 300 })]);
    const [f] = await runAnalyzer(tempFiles, { snapshot: await snapshotOf(t), workload, options: { maxBytesPerDay: 1 } });
    expect(Number(f?.evidence.tempFiles)).toBeGreaterThanOrEqual(1);
    expect(Number(f?.evidence.tempBytes)).toBeGreaterThan(64 * 1024);
    expect(f?.evidence.spillingStatements).toEqual([expect.objectContaining({ query: SORT, tempBytesWritten: 300 * 8192 })]);
    // below the daily floor: nothing (a fresh server's window is seconds, so the floor is set high)
    expect(await runAnalyzer(tempFiles, { snapshot: await snapshotOf(t), workload, options: { maxBytesPerDay: 1e15 } })).toEqual([]);
  });
});
