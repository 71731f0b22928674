import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { autovacuumBehind } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('autovacuum_behind');
  await t.exec(`
    CREATE TABLE sessions (id int PRIMARY KEY, data text) WITH (autovacuum_enabled = false);
    CREATE TABLE calm (id int PRIMARY KEY, data text) WITH (autovacuum_enabled = false);
    INSERT INTO sessions SELECT g, 'x' FROM generate_series(1, 10000) g;
    INSERT INTO calm SELECT g, 'x' FROM generate_series(1, 10000) g;
    `);
  // ANALYZE after the inserts reached the shared statistics, so they do not count as changes since it
  await t.flushStats();
  await t.exec('ANALYZE');
  await t.exec(`
    UPDATE sessions SET data = 'y';
    UPDATE calm SET data = 'y' WHERE id <= 100;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('autovacuum-behind', () => {
  it('flags dead tuples far past the autovacuum trigger point, computed from the settings', async () => {
    const snapshot = await snapshotOf(t);
    const findings = await runAnalyzer(autovacuumBehind, { snapshot });
    expect(findings.map((f) => f.target.relation)).toEqual(['public.sessions']);
    const threshold = Number(snapshot.settings.find((s) => s.name === 'autovacuum_vacuum_threshold')?.setting);
    const scale = Number(snapshot.settings.find((s) => s.name === 'autovacuum_vacuum_scale_factor')?.setting);
    expect(findings[0]?.evidence).toMatchObject({ deadTuples: 10000, vacuumTriggerAt: Math.round(threshold + scale * 10000), autovacuumEnabled: false, perTableSettings: ['autovacuum_enabled'] });
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.fix?.content).toBe('VACUUM (ANALYZE) public.sessions;\nALTER TABLE public.sessions RESET (autovacuum_enabled);');
  });

  it('does not flag a table under its trigger point', async () => {
    const findings = await runAnalyzer(autovacuumBehind, { snapshot: await snapshotOf(t) });
    expect(findings.some((f) => f.target.relation === 'public.calm')).toBe(false);
  });
});
