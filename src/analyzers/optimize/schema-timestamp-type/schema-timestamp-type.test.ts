import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture, firstStatement } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaTimestampType } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('timestamp_type');
  await t.exec(`CREATE TABLE payments (id bigint PRIMARY KEY, created_at varchar(100), paid_at timestamp, done_at timestamptz, status text);
    INSERT INTO payments SELECT g, '2024-01-01 10:00:00', '2024-01-01', now(), 'ok' FROM generate_series(1, 500) g;
    ANALYZE;`);
});
afterAll(async () => t?.drop());

describe('schema-timestamp-type', () => {
  it('flags text timestamps and timestamp without time zone, not timestamptz or other text', async () => {
    const f = await analyzeFixture(t, schemaTimestampType);
    expect(f.map((x) => `${x.target.column}:${x.severity}`).sort()).toEqual(['created_at:warning', 'paid_at:info']);
  });

  it('is gone after its fix', async () => {
    for (const x of await analyzeFixture(t, schemaTimestampType)) await t.exec(firstStatement(x.fix?.content ?? ''));
    expect(await analyzeFixture(t, schemaTimestampType)).toEqual([]);
  });
});
