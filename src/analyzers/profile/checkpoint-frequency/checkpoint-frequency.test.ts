import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { checkpointFrequency } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('checkpoints');
  // an explicit CHECKPOINT counts as requested, like one forced by max_wal_size
  await t.exec('CHECKPOINT');
});
afterAll(async () => {
  await t.drop();
});

describe('checkpoint-frequency', () => {
  it('reports requested checkpoints above the allowed share, read from the server counters', async () => {
    const snapshot = await snapshotOf(t);
    const c = snapshot.checkpoints;
    expect(c?.requested).toBeGreaterThanOrEqual(1);
    const [f] = await runAnalyzer(checkpointFrequency, { snapshot, options: { minCheckpoints: 1, maxRequestedShare: 0 } });
    expect(f?.evidence).toMatchObject({ timed: c?.timed, requested: c?.requested });
    expect(f?.fix?.kind).toBe('config');
    expect(f?.fix?.content).toMatch(/^# postgresql\.conf.*\nmax_wal_size = \d+GB$/);
  });

  it('is silent when requested checkpoints stay within the share', async () => {
    expect(await runAnalyzer(checkpointFrequency, { snapshot: await snapshotOf(t), options: { minCheckpoints: 1, maxRequestedShare: 1 } })).toEqual([]);
  });
});
