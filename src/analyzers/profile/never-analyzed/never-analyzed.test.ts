import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { neverAnalyzed } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('never_analyzed');
  await t.exec(`
    CREATE TABLE imported (id int, payload text) WITH (autovacuum_enabled = false);
    CREATE TABLE tiny (id int) WITH (autovacuum_enabled = false);
    CREATE TABLE analyzed (id int);
    INSERT INTO imported SELECT g, 'x' FROM generate_series(1, 5000) g;
    INSERT INTO tiny SELECT generate_series(1, 10);
    INSERT INTO analyzed SELECT generate_series(1, 5000);
    ANALYZE analyzed;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('never-analyzed', () => {
  it('flags a loaded table that was never analyzed', async () => {
    const findings = await runAnalyzer(neverAnalyzed, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.relation)).toEqual(['public.imported']);
    expect(findings[0]?.evidence).toMatchObject({ insertedSinceReset: 5000, columnsWithStatistics: 0 });
    expect(findings[0]?.fix?.content).toBe('ANALYZE public.imported;');
  });

  it('ignores small and analyzed tables, and the finding is gone after ANALYZE', async () => {
    await t.exec('ANALYZE public.imported');
    await t.flushStats();
    expect(await runAnalyzer(neverAnalyzed, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
