import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { indexHitRatio } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('index_hit');
  await t.exec('CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, md5(g::text) FROM generate_series(1, 20000) g; ANALYZE users');
  for (let i = 0; i < 200; i++) await t.exec('SELECT name FROM users WHERE id = $1', [i * 97 + 1]);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('index-hit-ratio', () => {
  it('reports index block reads against the target, listing the worst indexes', async () => {
    const [f] = await runAnalyzer(indexHitRatio, { snapshot: await snapshotOf(t), options: { targetPercent: 100.01, minBlocks: 10 } });
    expect(f?.severity).toBe('warning');
    expect(Number(f?.evidence.blocksHit) + Number(f?.evidence.blocksRead)).toBeGreaterThanOrEqual(200);
    expect((f?.evidence.worstIndexes as { index: string }[]).map((w) => w.index)).toContain('public.users_pkey');
  });

  it('says nothing until enough index blocks were requested, and is healthy at a reachable target', async () => {
    expect(await runAnalyzer(indexHitRatio, { snapshot: await snapshotOf(t), options: { minBlocks: 1e12 } })).toEqual([]);
    const [f] = await runAnalyzer(indexHitRatio, { snapshot: await snapshotOf(t), options: { targetPercent: 0, minBlocks: 10 } });
    expect(f?.severity).toBe('info');
  });
});
