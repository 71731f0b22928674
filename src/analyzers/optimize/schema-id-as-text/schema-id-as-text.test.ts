import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture, firstStatement } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaIdAsText } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('id_as_text');
  await t.exec(`CREATE TABLE payments (id varchar(255) PRIMARY KEY, order_ref text);
    INSERT INTO payments SELECT g::text, 'x' FROM generate_series(1, 2000) g;
    CREATE TABLE tokens (id uuid PRIMARY KEY, user_id bigint, label varchar(20));
    ANALYZE;`);
});
afterAll(async () => t?.drop());

describe('schema-id-as-text', () => {
  it('flags a varchar primary key whose values are numbers, and not uuid/bigint ids or non-id text', async () => {
    const f = await analyzeFixture(t, schemaIdAsText);
    expect(f.map((x) => `${x.target.relation}.${x.target.column}`)).toEqual(['public.payments.id']);
    expect(f[0]?.evidence.valuesLookNumeric).toBe(true);
    expect(f[0]?.severity).toBe('warning');
    expect(f[0]?.fix?.content).toMatch(/TYPE bigint USING id::bigint/);
  });

  it('is gone after its fix', async () => {
    const f = await analyzeFixture(t, schemaIdAsText);
    await t.exec(firstStatement(f[0]?.fix?.content ?? ''));
    expect(await analyzeFixture(t, schemaIdAsText)).toEqual([]);
  });
});
