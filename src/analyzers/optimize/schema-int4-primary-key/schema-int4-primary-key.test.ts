import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaInt4PrimaryKey } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('int4_pk');
  await t.exec(`CREATE TABLE events (id serial PRIMARY KEY, v int);
    SELECT setval('events_id_seq', 1500000000);
    INSERT INTO events (v) SELECT g FROM generate_series(1, 100) g;
    CREATE TABLE small (id serial PRIMARY KEY);
    INSERT INTO small DEFAULT VALUES;
    CREATE TABLE big (id bigserial PRIMARY KEY);
    SELECT setval('big_id_seq', 2000000000);`);
});
afterAll(async () => t?.drop());

describe('schema-int4-primary-key', () => {
  it('flags an integer key that used most of its range, not a young integer key or a bigint key', async () => {
    const f = await analyzeFixture(t, schemaInt4PrimaryKey);
    expect(f.map((x) => x.target.relation)).toEqual(['public.events']);
    expect(f[0]?.severity).toBe('critical');
    expect(f[0]?.evidence.rangeUsed).toBeGreaterThan(0.69);
    expect(f[0]?.fix?.content).toMatch(/migrate plan --change-type public\.events\.id bigint/);
  });

  it('is gone once the key is bigint', async () => {
    await t.exec('ALTER TABLE events ALTER COLUMN id TYPE bigint');
    expect(await analyzeFixture(t, schemaInt4PrimaryKey)).toEqual([]);
  });
});
