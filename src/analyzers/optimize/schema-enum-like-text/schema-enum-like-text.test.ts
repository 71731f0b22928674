import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture, firstStatement } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaEnumLikeText } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('enum_like');
  await t.exec(`CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, note text, user_id text);
    INSERT INTO orders SELECT g, CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 10 = 1 THEN 'shipped' ELSE 'delivered' END, 'note ' || g, (g % 3)::text FROM generate_series(1, 5000) g;
    ANALYZE;`);
});
afterAll(async () => t?.drop());

describe('schema-enum-like-text', () => {
  it('flags a text column with three values, not free text or id columns', async () => {
    const f = await analyzeFixture(t, schemaEnumLikeText);
    expect(f.map((x) => x.target.column)).toEqual(['status']);
    expect(f[0]?.evidence.distinct).toBe(3);
    expect(f[0]?.fix?.content).toMatch(/CHECK \(status IN \(/);
  });

  it('its CHECK constraint validates on the data', async () => {
    const f = await analyzeFixture(t, schemaEnumLikeText);
    for (const s of (f[0]?.fix?.content ?? '').split('\n').filter((l) => l.startsWith('ALTER'))) await t.exec(s);
    const r = await t.exec("SELECT convalidated FROM pg_constraint WHERE conname = 'orders_status_check'");
    expect(r.rows[0]?.convalidated).toBe(true);
    expect(firstStatement(f[0]?.fix?.content ?? '')).toMatch(/NOT VALID/);
  });
});
