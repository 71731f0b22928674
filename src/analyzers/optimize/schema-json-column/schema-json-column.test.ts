import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture, firstStatement } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaJsonColumn } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('json_column');
  await t.exec(`CREATE TABLE events (id bigint PRIMARY KEY, payload json, data jsonb);
    INSERT INTO events VALUES (1, '{"a":1}', '{"a":1}');`);
});
afterAll(async () => t?.drop());

describe('schema-json-column', () => {
  it('flags json, not jsonb', async () => {
    const f = await analyzeFixture(t, schemaJsonColumn);
    expect(f.map((x) => x.target.column)).toEqual(['payload']);
  });

  it('is gone after its fix', async () => {
    const f = await analyzeFixture(t, schemaJsonColumn);
    await t.exec(firstStatement(f[0]?.fix?.content ?? ''));
    expect(await analyzeFixture(t, schemaJsonColumn)).toEqual([]);
  });
});
