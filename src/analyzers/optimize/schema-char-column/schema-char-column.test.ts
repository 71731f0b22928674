import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture, firstStatement } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaCharColumn } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('char_column');
  await t.exec(`CREATE TABLE users (id bigint PRIMARY KEY, country char(2), code varchar(2), name text);
    INSERT INTO users VALUES (1, 'DE', 'x', 'a');`);
});
afterAll(async () => t?.drop());

describe('schema-char-column', () => {
  it('flags char(n) only', async () => {
    const f = await analyzeFixture(t, schemaCharColumn);
    expect(f.map((x) => x.target.column)).toEqual(['country']);
    expect(f[0]?.evidence.length).toBe(2);
  });

  it('is gone after its fix', async () => {
    const f = await analyzeFixture(t, schemaCharColumn);
    await t.exec(firstStatement(f[0]?.fix?.content ?? ''));
    expect(await analyzeFixture(t, schemaCharColumn)).toEqual([]);
  });
});
