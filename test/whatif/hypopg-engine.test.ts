import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HypopgEngine } from '../../src/whatif/hypopg-engine.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('whatif');
  await t.exec(`CREATE TABLE w (id int PRIMARY KEY, k int, pad text);
    INSERT INTO w SELECT g, g % 5000, repeat('x', 50) FROM generate_series(1, 50000) g; ANALYZE w;`);
});
afterAll(async () => {
  await t.drop();
});

describe('the HypoPG what-if engine', () => {
  it('is available whenever CI says it must be', () => {
    if (process.env.DB_OPTIMIZE_REQUIRE_HYPOPG === '1') expect(t.extensions.has('hypopg')).toBe(true);
    expect(typeof t.extensions.has('hypopg')).toBe('boolean');
  });

  it('costs a statement with and without a hypothetical index, and leaves nothing behind', async () => {
    const db = await t.open();
    const engine = await HypopgEngine.open(db);
    if (!t.extensions.has('hypopg')) {
      expect(engine).toBeNull();
      return;
    }
    expect(engine).not.toBeNull();
    if (engine === null) return;
    const sql = 'SELECT * FROM w WHERE k = 42';
    const before = await engine.cost(sql);
    const after = await engine.cost(sql, { create: ['CREATE INDEX ON w (k)'] });
    expect(after.totalCost).toBeLessThan(before.totalCost / 10);
    expect(after.usedIndexes.length).toBe(1);
    const callsBefore = engine.calls;
    await engine.cost(sql, { create: ['CREATE INDEX ON w (k)'] });
    expect(engine.calls).toBe(callsBefore); // cached
    expect(await engine.indexSize('CREATE INDEX ON w (k)')).toBeGreaterThan(8192);
    await engine.close();
    const left = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM hypopg_list_indexes');
    expect(left[0]?.n).toBe('0');
    const real = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_indexes WHERE tablename = 'w'");
    expect(real[0]?.n).toBe('1');
  });
});
