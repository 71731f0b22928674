import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { xidWraparound } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('xid_wraparound');
  await t.exec('CREATE TABLE old_data (id int); INSERT INTO old_data SELECT generate_series(1, 100)');
});
afterAll(async () => {
  await t.drop();
});

// Aging a real cluster by 1.6 billion transactions is not possible in a test: the thresholds
// move instead, over the real ages read from pg_database and pg_class.
describe('xid-wraparound', () => {
  it('reports the ids left before the 2^31 limit with the oldest tables and a VACUUM FREEZE fix', async () => {
    const snapshot = await snapshotOf(t);
    const age = snapshot.databaseAges.find((d) => d.name === t.name)?.frozenXidAge ?? 0;
    expect(age).toBeGreaterThan(0);
    const findings = await runAnalyzer(xidWraparound, { snapshot, options: { warnRemaining: 2 ** 31 + 1, criticalRemaining: 2 ** 31 - age + 1 } });
    const ours = findings.find((f) => f.rule === 'xid-wraparound' && f.target.name === t.name);
    expect(ours?.evidence).toMatchObject({ age, remaining: 2 ** 31 - age, kind: 'xid' });
    expect(ours?.severity).toBe('critical');
    expect((ours?.evidence.oldestTables as { table: string }[]).map((x) => x.table)).toContain('public.old_data');
    expect(ours?.fix?.content).toMatch(/VACUUM \(FREEZE, VERBOSE\) public\.old_data;/);
    expect(findings.some((f) => f.rule === 'multixact-wraparound')).toBe(true);
  });

  it('stays silent with the default thresholds (500M ids left)', async () => {
    expect(await runAnalyzer(xidWraparound, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
