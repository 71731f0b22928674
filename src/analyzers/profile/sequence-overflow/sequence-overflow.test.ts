import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { sequenceOverflow } from './index.ts';

let t: TestDatabase;
const INT4_MAX = 2_147_483_647;
beforeAll(async () => {
  t = await createTestDatabase('sequence_overflow');
  await t.exec(`
    CREATE TABLE legacy_orders (id SERIAL PRIMARY KEY, note text);
    CREATE TABLE order_notes (id bigserial PRIMARY KEY, order_id int REFERENCES legacy_orders(id));
    CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text);
    CREATE TABLE counters (id int PRIMARY KEY, n int);
    CREATE SEQUENCE counters_n_seq AS bigint;
    INSERT INTO events (kind) VALUES ('a');`);
  await t.exec(`SELECT setval('legacy_orders_id_seq', ${Math.ceil(INT4_MAX * 0.95)})`);
});
afterAll(async () => {
  await t.drop();
});

describe('sequence-overflow', () => {
  it('flags a serial primary key at 95 % of int4 as critical, with the bigint migration path', async () => {
    const findings = await runAnalyzer(sequenceOverflow, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.name)).toEqual(['public.legacy_orders_id_seq']);
    const f = findings[0];
    expect(f?.severity).toBe('critical');
    expect(f?.evidence).toMatchObject({ lastValue: Math.ceil(INT4_MAX * 0.95), maxValue: INT4_MAX, primaryKey: true, columnType: 'integer' });
    expect(f?.fix?.kind).toBe('migration');
    expect(f?.fix?.content).toContain('ALTER TABLE public.legacy_orders ALTER COLUMN id TYPE bigint;');
    // the referencing column must move too
    expect(f?.fix?.content).toContain('ALTER TABLE public.order_notes ALTER COLUMN order_id TYPE bigint;');
    expect(f?.fix?.content).toContain('ALTER SEQUENCE public.legacy_orders_id_seq AS bigint;');
  });

  it('flags int4 primary keys early (50 %) but not other sequences at that level', async () => {
    await t.exec(`SELECT setval('legacy_orders_id_seq', ${Math.floor(INT4_MAX * 0.6)})`);
    await t.exec(`SELECT setval('counters_n_seq', ${Math.floor(2 ** 62)})`);
    const findings = await runAnalyzer(sequenceOverflow, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => [f.target.name, f.severity])).toEqual([['public.legacy_orders_id_seq', 'warning']]);
  });

  it('does not flag sequences far from their maximum', async () => {
    await t.exec(`SELECT setval('legacy_orders_id_seq', 1000)`);
    expect(await runAnalyzer(sequenceOverflow, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
