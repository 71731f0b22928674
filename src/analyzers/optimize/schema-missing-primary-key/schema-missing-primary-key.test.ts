import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaMissingPrimaryKey } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('missing_pk');
  await t.exec(`CREATE TABLE log (at timestamptz, msg text);
    CREATE TABLE codes (code text NOT NULL, label text); CREATE UNIQUE INDEX codes_code_key ON codes (code);
    CREATE TABLE ok (id bigint PRIMARY KEY);`);
});
afterAll(async () => t?.drop());

describe('schema-missing-primary-key', () => {
  it('flags tables without a primary key and reuses a unique NOT NULL index when there is one', async () => {
    const f = await analyzeFixture(t, schemaMissingPrimaryKey);
    expect(f.map((x) => x.target.relation).sort()).toEqual(['public.codes', 'public.log']);
    const codes = f.find((x) => x.target.relation === 'public.codes');
    expect(codes?.fix?.content).toMatch(/PRIMARY KEY USING INDEX codes_code_key/);
    expect(codes?.fix?.safety).toBe('safe');
  });

  it('is gone after the USING INDEX fix', async () => {
    const f = await analyzeFixture(t, schemaMissingPrimaryKey);
    await t.exec((f.find((x) => x.target.relation === 'public.codes')?.fix?.content ?? '').split(';')[0] ?? '');
    expect((await analyzeFixture(t, schemaMissingPrimaryKey)).map((x) => x.target.relation)).toEqual(['public.log']);
  });
});
