import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { autovacuumSettings } from './index.ts';

let t: TestDatabase;
// scaled-down "large hot table": 20k rows stand for millions
const scaled = { minRows: 10_000, maxDeadBeforeVacuum: 1000 };
beforeAll(async () => {
  t = await createTestDatabase('autovacuum_settings');
  await t.exec(`
    CREATE TABLE sessions (id int PRIMARY KEY, data text);
    CREATE TABLE tuned (id int PRIMARY KEY, data text) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 50);
    CREATE TABLE bulk (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
    INSERT INTO sessions SELECT g, 'x' FROM generate_series(1, 20000) g;
    INSERT INTO tuned SELECT g, 'x' FROM generate_series(1, 20000) g;
    INSERT INTO bulk SELECT generate_series(1, 20000);
    `);
  await t.flushStats();
  await t.exec('ANALYZE');
  await t.exec(`
    UPDATE sessions SET data = 'y';
    UPDATE tuned SET data = 'y';`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('autovacuum-settings', () => {
  it('suggests a lower scale factor for a large hot table, and flags autovacuum disabled on a table', async () => {
    const findings = await runAnalyzer(autovacuumSettings, { snapshot: await snapshotOf(t), options: scaled });
    const hot = findings.find((f) => f.target.relation === 'public.sessions');
    expect(hot?.fix?.content).toBe(
      'ALTER TABLE public.sessions SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 100, autovacuum_analyze_scale_factor = 0.005);',
    );
    expect(Number(hot?.evidence.deadTuplesBeforeVacuum)).toBeGreaterThan(Number(hot?.evidence.deadTuplesBeforeVacuumAfter));
    expect(findings.find((f) => f.target.relation === 'public.bulk')?.fix?.content).toBe('ALTER TABLE public.bulk RESET (autovacuum_enabled);');
  });

  it('leaves a table that already has per-table settings, and small tables under the default floor', async () => {
    const findings = await runAnalyzer(autovacuumSettings, { snapshot: await snapshotOf(t), options: scaled });
    expect(findings.some((f) => f.target.relation === 'public.tuned')).toBe(false);
    const defaults = await runAnalyzer(autovacuumSettings, { snapshot: await snapshotOf(t) });
    expect(defaults.some((f) => f.target.relation === 'public.sessions')).toBe(false);
  });

  it('gives a very large hot table its own autovacuum cost limit, and its rollback resets it', async () => {
    const findings = await runAnalyzer(autovacuumSettings, { snapshot: await snapshotOf(t), options: { ...scaled, costLimitMinRows: 15_000, targetCostLimit: 800 } });
    const hot = findings.find((f) => f.target.relation === 'public.sessions');
    expect(hot?.fix?.content).toMatch(/, autovacuum_vacuum_cost_limit = 800\);$/);
    expect(hot?.fix?.rollback).toMatch(/, autovacuum_vacuum_cost_limit\);$/);
    expect(hot?.evidence.suggestedCostLimit).toBe(800);
    // applied, the table carries the settings and the finding is gone (it already has per-table settings)
    await t.exec(hot?.fix?.content ?? '');
    try {
      const after = await runAnalyzer(autovacuumSettings, { snapshot: await snapshotOf(t), options: { ...scaled, costLimitMinRows: 15_000 } });
      expect(after.some((f) => f.target.relation === 'public.sessions')).toBe(false);
    } finally {
      await t.exec(hot?.fix?.rollback ?? '');
    }
  });
});
