import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { fkWithoutIndex } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('fk_without_index');
  await t.exec(`
    CREATE TABLE orders (id bigint PRIMARY KEY);
    CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE);
    CREATE TABLE shipments (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE);
    CREATE INDEX shipments_order_id_idx ON shipments (order_id);
    INSERT INTO orders SELECT generate_series(1, 1000);
    INSERT INTO order_items SELECT g, g % 1000 + 1 FROM generate_series(1, 5000) g;
    INSERT INTO shipments SELECT g, g % 1000 + 1 FROM generate_series(1, 2000) g;
    ANALYZE;
    DELETE FROM orders WHERE id <= 10;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('fk-without-index', () => {
  it('flags the foreign key without a supporting index, with rows and parent deletes as evidence', async () => {
    const findings = await runAnalyzer(fkWithoutIndex, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.relation)).toEqual(['public.order_items']);
    expect(findings[0]?.evidence).toMatchObject({ parentDeletes: 10, onDelete: 'CASCADE', referencedTable: 'public.orders' });
    expect(Number(findings[0]?.evidence.referencingRows)).toBeGreaterThan(4000);
    expect(findings[0]?.fix?.content).toBe('CREATE INDEX CONCURRENTLY order_items_order_id_idx ON public.order_items (order_id);');
  });

  it('is gone after its fix', async () => {
    await t.exec('CREATE INDEX CONCURRENTLY order_items_order_id_idx ON public.order_items (order_id)');
    expect(await runAnalyzer(fkWithoutIndex, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
