import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaMissingForeignKey } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('missing_fk');
  await t.exec(`CREATE TABLE users (id bigint PRIMARY KEY);
    CREATE TABLE categories (id int PRIMARY KEY);
    CREATE TABLE sessions (id uuid PRIMARY KEY, user_id bigint);
    CREATE TABLE products (id int PRIMARY KEY, category_id int REFERENCES categories (id), vendor_id bigint);
    INSERT INTO users SELECT generate_series(1, 10);
    INSERT INTO sessions SELECT gen_random_uuid(), 1 + g % 10 FROM generate_series(1, 50) g;`);
});
afterAll(async () => t?.drop());

describe('schema-missing-foreign-key', () => {
  it('infers sessions.user_id → users.id, not a column that already has a key or names no table', async () => {
    const f = await analyzeFixture(t, schemaMissingForeignKey);
    expect(f.map((x) => `${x.target.relation}.${x.target.column}`)).toEqual(['public.sessions.user_id']);
    expect(f[0]?.evidence.referencedTable).toBe('public.users');
  });

  it('is gone after its fix', async () => {
    const f = await analyzeFixture(t, schemaMissingForeignKey);
    for (const s of (f[0]?.fix?.content ?? '').split('\n').filter((l) => l.startsWith('ALTER'))) await t.exec(s);
    expect(await analyzeFixture(t, schemaMissingForeignKey)).toEqual([]);
  });
});
