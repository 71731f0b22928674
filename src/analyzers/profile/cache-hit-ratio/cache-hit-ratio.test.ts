import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { cacheHitRatio } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('cache_hit');
  await t.exec('CREATE TABLE events (id int, payload text); INSERT INTO events SELECT g, md5(g::text) FROM generate_series(1, 20000) g');
  for (let i = 0; i < 5; i++) await t.exec('SELECT count(*) FROM events');
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('cache-hit-ratio', () => {
  it('reports the ratio below the target with the worst tables', async () => {
    const snapshot = await snapshotOf(t);
    const db = snapshot.database;
    const [f] = await runAnalyzer(cacheHitRatio, { snapshot, options: { targetPercent: 100.01, minBlocks: 100 } });
    expect(f?.severity).not.toBe('info');
    expect(f?.evidence).toMatchObject({ blocksHit: db?.blksHit, blocksRead: db?.blksRead });
    expect((f?.evidence.worstTables as { table: string }[]).map((w) => w.table)).toContain('public.events');
  });

  it('is informational (no gain) when the ratio meets the target', async () => {
    const [f] = await runAnalyzer(cacheHitRatio, { snapshot: await snapshotOf(t), options: { targetPercent: 0, minBlocks: 100 } });
    expect(f?.severity).toBe('info');
    expect(f?.impact.score).toBe(0);
  });
});
