import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import type { Snapshot } from '../../src/model/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;
let snapshot: Snapshot;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('snapshot');
  await t.exec(`
    CREATE SCHEMA shop;
    CREATE TABLE shop.customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'active', created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE shop.orders (id serial PRIMARY KEY, customer_id bigint REFERENCES shop.customers(id) ON DELETE CASCADE,
      total numeric(10,2) CHECK (total >= 0), placed_at timestamptz);
    ALTER TABLE shop.orders ADD CONSTRAINT total_small CHECK (total < 1000000) NOT VALID;
    CREATE INDEX orders_customer_placed ON shop.orders (customer_id, placed_at DESC) INCLUDE (total);
    CREATE INDEX orders_open ON shop.orders (placed_at) WHERE total > 100;
    CREATE INDEX customers_lower_email ON shop.customers (lower(email));
    CREATE TABLE shop.events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
    CREATE TABLE shop.events_2025 PARTITION OF shop.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE MATERIALIZED VIEW shop.order_totals AS SELECT customer_id, sum(total) FROM shop.orders GROUP BY 1;
    INSERT INTO shop.customers (email, status) SELECT 'c' || g || '@x.io', CASE WHEN g % 10 = 0 THEN 'banned' ELSE 'active' END
      FROM generate_series(1, 500) g;
    INSERT INTO shop.orders (customer_id, total, placed_at) SELECT 1 + g % 500, g % 300, now() - g * interval '1 hour'
      FROM generate_series(1, 2000) g;
    ANALYZE;`);
  const db = await t.open();
  snapshot = await collectSnapshot(db);
});
afterAll(async () => {
  await t.drop();
});

describe('collectSnapshot', () => {
  it('records the server, privileges and extensions', () => {
    expect(snapshot.server.major).toBeGreaterThanOrEqual(14);
    expect(snapshot.server.versionNum).toBe(t.serverVersionNum);
    expect(snapshot.server.database).toBe(t.name);
    expect(snapshot.server.uptimeSeconds).toBeGreaterThan(0);
    expect(snapshot.server.statsAgeSeconds).toBeGreaterThan(0);
    expect(snapshot.privileges.superuser).toBe(true);
    expect(snapshot.privileges.canReadAllStats).toBe(true);
    const pgss = snapshot.extensions.find((e) => e.name === 'pg_stat_statements');
    expect(pgss?.installedVersion).not.toBeNull();
    expect(snapshot.settings.find((s) => s.name === 'shared_buffers')?.unit).toBe('8kB');
    expect(snapshot.issues).toEqual([]);
  });

  it('describes tables with kinds, sizes, columns and their statistics', () => {
    const customers = snapshot.tables.find((x) => x.qualifiedName === 'shop.customers');
    expect(customers?.kind).toBe('table');
    expect(customers?.rowEstimate).toBe(500);
    expect(customers?.totalBytes).toBeGreaterThan(customers?.tableBytes ?? 0);
    const id = customers?.columns.find((c) => c.name === 'id');
    expect(id).toMatchObject({ type: 'bigint', notNull: true, identity: 'a' });
    const status = customers?.columns.find((c) => c.name === 'status');
    expect(status?.default).toBe("'active'::text");
    expect(status?.stats?.nDistinct).toBe(2);
    expect(status?.stats?.mostCommonVals).toEqual(['active', 'banned']);
    expect(status?.stats?.mostCommonFreqs?.[0]).toBeCloseTo(0.9, 2);
    const created = snapshot.tables.find((x) => x.qualifiedName === 'shop.orders')?.columns.find((c) => c.name === 'total');
    expect(created?.stats?.histogramBounds?.length).toBeGreaterThan(10);
    expect(snapshot.tables.find((x) => x.qualifiedName === 'shop.events')?.kind).toBe('partitioned');
    const part = snapshot.tables.find((x) => x.qualifiedName === 'shop.events_2025');
    expect(part).toMatchObject({ isPartition: true, parent: 'shop.events' });
    expect(snapshot.tables.find((x) => x.qualifiedName === 'shop.order_totals')?.kind).toBe('matview');
    expect(customers?.activity?.nTupIns).toBeGreaterThanOrEqual(0);
  });

  it('describes indexes: columns, order, INCLUDE, predicates, expressions, constraints', () => {
    const idx = snapshot.indexes.find((i) => i.name === 'orders_customer_placed');
    expect(idx?.table).toBe('shop.orders');
    expect(idx?.method).toBe('btree');
    expect(idx?.columns.map((c) => [c.name, c.descending])).toEqual([
      ['customer_id', false],
      ['placed_at', true],
    ]);
    expect(idx?.includeColumns).toEqual(['total']);
    expect(snapshot.indexes.find((i) => i.name === 'orders_open')?.predicate).toBe('total > 100::numeric');
    const expr = snapshot.indexes.find((i) => i.name === 'customers_lower_email');
    expect(expr?.columns[0]).toMatchObject({ name: 'lower(email)', isExpression: true });
    const pk = snapshot.indexes.find((i) => i.name === 'customers_pkey');
    expect(pk).toMatchObject({ isPrimary: true, isUnique: true, constraint: 'customers_pkey', isValid: true });
    expect(snapshot.indexes.find((i) => i.name === 'customers_email_key')?.constraint).toBe('customers_email_key');
  });

  it('describes constraints and sequences', () => {
    const fk = snapshot.constraints.find((c) => c.type === 'foreign' && c.table === 'shop.orders');
    expect(fk).toMatchObject({ columns: ['customer_id'], references: { table: 'shop.customers', columns: ['id'] }, onDelete: 'CASCADE' });
    expect(snapshot.constraints.find((c) => c.name === 'total_small')).toMatchObject({ type: 'check', validated: false });
    const seq = snapshot.sequences.find((s) => s.qualifiedName === 'shop.orders_id_seq');
    expect(seq).toMatchObject({ dataType: 'integer', maxValue: 2147483647, lastValue: 2000 });
    expect(seq?.ownedBy).toEqual({ table: 'shop.orders', column: 'id', columnType: 'integer' });
  });

  it('records database statistics, ages, connections and checkpoints', () => {
    expect(snapshot.database?.name).toBe(t.name);
    expect(snapshot.database?.sizeBytes).toBeGreaterThan(1_000_000);
    expect(snapshot.databaseAges.find((d) => d.name === t.name)?.frozenXidAge).toBeGreaterThan(0);
    expect(snapshot.connections?.maxConnections).toBeGreaterThan(0);
    expect(snapshot.connections?.total).toBeGreaterThanOrEqual(1);
    expect(snapshot.checkpoints?.timed).toBeGreaterThanOrEqual(0);
    expect(snapshot.replication?.senders).toEqual([]);
  });

  it('is deep-frozen', () => {
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot.tables[0]?.columns)).toBe(true);
    expect(() => {
      (snapshot.tables as unknown as unknown[]).push({});
    }).toThrow();
  });

  it('redacts literals in pg_stat_activity query texts', async () => {
    const other = await t.client();
    try {
      await other.query(`BEGIN; SELECT 'secret-value-42' AS s;`);
      const db = await t.open();
      const s2 = await collectSnapshot(db);
      const mine = s2.connections?.backends.find((b) => b.state === 'idle in transaction' && b.database === t.name);
      expect(mine?.query).toBeDefined();
      expect(mine?.query).not.toContain('secret-value-42');
      expect(mine?.xactAgeSeconds).toBeGreaterThanOrEqual(0);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });
});
