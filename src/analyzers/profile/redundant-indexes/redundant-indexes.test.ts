import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { redundantIndexes } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('redundant_indexes');
  await t.exec(`
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL);
    CREATE INDEX orders_user_id_idx ON orders (user_id);
    CREATE INDEX orders_user_id_created_idx ON orders (user_id, created_at);
    CREATE UNIQUE INDEX orders_status_key ON orders (status, id);
    CREATE INDEX orders_status_created ON orders (status, id, created_at);
    CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'pending';
    CREATE INDEX orders_created_status ON orders (created_at, status);
    CREATE INDEX orders_created_desc ON orders (user_id DESC);
    INSERT INTO orders SELECT g, g % 100, 'delivered', now() FROM generate_series(1, 2000) g;`);
});
afterAll(async () => {
  await t.drop();
});

describe('redundant-indexes', () => {
  it('flags a btree whose columns are a prefix of another with the same predicate', async () => {
    const findings = await runAnalyzer(redundantIndexes, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.index)).toEqual(['public.orders_user_id_idx']);
    expect(findings[0]?.evidence.coveredBy).toBe('public.orders_user_id_created_idx');
    expect(findings[0]?.fix?.content).toBe('DROP INDEX CONCURRENTLY public.orders_user_id_idx;');
    expect(findings[0]?.fix?.rollback).toMatch(/^CREATE INDEX CONCURRENTLY orders_user_id_idx/);
  });

  it('never flags a unique index, a partial index against a full one, or a different sort order', async () => {
    const names = (await runAnalyzer(redundantIndexes, { snapshot: await snapshotOf(t) })).map((f) => f.target.index);
    expect(names).not.toContain('public.orders_status_key');
    expect(names).not.toContain('public.orders_pending');
    expect(names).not.toContain('public.orders_created_desc');
    expect(names).not.toContain('public.orders_pkey');
  });
});
