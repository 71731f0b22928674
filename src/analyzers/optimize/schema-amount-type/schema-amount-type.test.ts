import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture, firstStatement } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaAmountType } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('amount_type');
  await t.exec(`CREATE TABLE payments (id bigint PRIMARY KEY, amount varchar(50), fee double precision, total numeric(12,2), amount_count int, note text);
    INSERT INTO payments SELECT g, (g % 100)::text || '.50', 0.1, g, 1, 'n' FROM generate_series(1, 1000) g;
    ANALYZE;`);
});
afterAll(async () => t?.drop());

describe('schema-amount-type', () => {
  it('flags amounts stored as text and float, not numeric amounts or counts', async () => {
    const f = await analyzeFixture(t, schemaAmountType);
    expect(f.map((x) => x.target.column).sort()).toEqual(['amount', 'fee']);
    expect(f.find((x) => x.target.column === 'amount')?.evidence.nonNumericValues).toBe(0);
  });

  it('is gone after its fix (the cast works on the data)', async () => {
    for (const x of await analyzeFixture(t, schemaAmountType)) await t.exec(firstStatement(x.fix?.content ?? ''));
    expect(await analyzeFixture(t, schemaAmountType)).toEqual([]);
    expect(Number((await t.exec('SELECT sum(amount) AS s FROM payments')).rows[0]?.s)).toBeGreaterThan(0);
  });
});
