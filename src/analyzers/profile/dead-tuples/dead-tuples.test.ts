import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { deadTuples } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('dead_tuples');
  await t.exec(`
    CREATE TABLE sessions (id int PRIMARY KEY, data text) WITH (autovacuum_enabled = false);
    CREATE TABLE quiet (id int PRIMARY KEY, data text) WITH (autovacuum_enabled = false);
    INSERT INTO sessions SELECT g, 'x' FROM generate_series(1, 20000) g;
    INSERT INTO quiet SELECT g, 'x' FROM generate_series(1, 20000) g;
    UPDATE sessions SET data = 'y';
    UPDATE quiet SET data = 'y' WHERE id <= 500;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('dead-tuples', () => {
  it('flags dead tuples after a mass update on a table with autovacuum disabled', async () => {
    const findings = await runAnalyzer(deadTuples, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.relation)).toEqual(['public.sessions']);
    expect(findings[0]?.evidence).toMatchObject({ deadTuples: 20000, liveTuples: 20000, deadRatio: 1, autovacuumEnabled: false });
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.fix?.content).toBe('VACUUM (ANALYZE, VERBOSE) public.sessions;\nALTER TABLE public.sessions RESET (autovacuum_enabled);');
  });

  it('does not flag a table under the thresholds, and the finding is gone after VACUUM', async () => {
    await t.exec('VACUUM (ANALYZE) public.sessions');
    await t.flushStats();
    expect(await runAnalyzer(deadTuples, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
