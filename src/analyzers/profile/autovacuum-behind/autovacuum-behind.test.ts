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
    CREATE TABLE recent (id int PRIMARY KEY, data text);
    INSERT INTO sessions SELECT g, 'x' FROM generate_series(1, 10000) g;
    INSERT INTO calm SELECT g, 'x' FROM generate_series(1, 10000) g;
    INSERT INTO recent SELECT g, 'x' FROM generate_series(1, 10000) g;
    `);
  // ANALYZE after the inserts reached the shared statistics, so they do not count as changes since it
  await t.flushStats();
  await t.exec('ANALYZE');
  await t.exec(`
    UPDATE sessions SET data = 'y';
    UPDATE calm SET data = 'y' WHERE id <= 100;
    UPDATE recent SET data = 'y';`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('autovacuum-behind', () => {
  it('flags dead tuples far past the autovacuum trigger point, computed from the settings', async () => {
    const snapshot = await snapshotOf(t);
    const findings = await runAnalyzer(autovacuumBehind, { snapshot });
    expect(findings.map((f) => f.target.relation)).toContain('public.sessions');
    expect(findings.map((f) => f.target.relation)).not.toContain('public.calm');
    const threshold = Number(snapshot.settings.find((s) => s.name === 'autovacuum_vacuum_threshold')?.setting);
    const scale = Number(snapshot.settings.find((s) => s.name === 'autovacuum_vacuum_scale_factor')?.setting);
    const f = findings.find((x) => x.target.relation === 'public.sessions');
    expect(f?.evidence).toMatchObject({ deadTuples: 10000, vacuumTriggerAt: Math.round(threshold + scale * 10000), autovacuumEnabled: false, perTableSettings: ['autovacuum_enabled'] });
    expect(f?.severity).toBe('critical');
    expect(f?.fix?.content).toBe('VACUUM (ANALYZE) public.sessions;\nALTER TABLE public.sessions RESET (autovacuum_enabled);');
  });

  it('gives a running autovacuum its grace period after the last analyze; with autovacuum off there is none', async () => {
    const snapshot = await snapshotOf(t);
    const serverOn = snapshot.settings.find((s) => s.name === 'autovacuum')?.setting === 'on';
    // "recent" was analyzed seconds ago and has autovacuum on at table level
    const flagged = (await runAnalyzer(autovacuumBehind, { snapshot })).some((f) => f.target.relation === 'public.recent');
    expect(flagged).toBe(!serverOn);
    const noGrace = await runAnalyzer(autovacuumBehind, { snapshot, options: { graceSeconds: 0 } });
    expect(noGrace.some((f) => f.target.relation === 'public.recent')).toBe(true);
  });

  it('does not flag a table under its trigger point', async () => {
    const findings = await runAnalyzer(autovacuumBehind, { snapshot: await snapshotOf(t) });
    expect(findings.some((f) => f.target.relation === 'public.calm')).toBe(false);
  });
});
