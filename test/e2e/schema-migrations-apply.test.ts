import { spawn } from 'node:child_process';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSqlParser } from '../../src/sql/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { LiveWriter } from './migrate-online/live-writers.ts';

/**
 * The type-change migrations the schema review prints, applied in order with psql (as a user
 * would, ON_ERROR_STOP) on a shop database with a view that groups by the key, a view on that
 * view, incoming foreign keys and a writer inserting orders and items the whole time.
 */
interface Report {
  findings: { rule: string; target: { relation?: string; column?: string }; evidence: Record<string, unknown>; fix?: { content: string; verified: boolean; verification?: string } }[];
}

let t: TestDatabase;
let writerClient: pg.Client;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('schema_apply');
  writerClient = await t.client();
  await t.exec(`
    CREATE TABLE orders (id serial PRIMARY KEY, customer_id text NOT NULL, amount text, created_at text, payload json);
    INSERT INTO orders (customer_id, amount, created_at, payload)
      SELECT 'c' || (g % 500), (g % 900)::text || '.50', '2024-01-01 10:00:00', json_build_object('n', g) FROM generate_series(1, 20000) g;
    -- three quarters of the int4 range used: the key must become bigint with everything that references it
    SELECT setval('orders_id_seq', 1600000000);
    CREATE TABLE order_items (id bigserial PRIMARY KEY, order_id int NOT NULL REFERENCES orders (id), qty int NOT NULL CHECK (qty > 0));
    CREATE INDEX order_items_order_id_idx ON order_items (order_id);
    INSERT INTO order_items (order_id, qty) SELECT 1 + g % 20000, 1 + g % 3 FROM generate_series(1, 30000) g;
    CREATE TABLE shipments (id bigserial PRIMARY KEY, order_id int REFERENCES orders (id));
    INSERT INTO shipments (order_id) SELECT g FROM generate_series(1, 5000) g;
    -- GROUP BY the key depends on the primary key constraint too, not only on the column
    CREATE VIEW order_summary AS
      SELECT o.id, o.amount, o.created_at, count(i.id) AS items FROM orders o LEFT JOIN order_items i ON i.order_id = o.id GROUP BY o.id;
    CREATE VIEW big_orders WITH (security_barrier = true) AS SELECT id, amount FROM order_summary WHERE items > 1;
    GRANT SELECT ON order_summary TO PUBLIC;
    ANALYZE;
  `);
});
afterAll(async () => {
  await writerClient?.end();
  await t?.drop();
});

async function psql(url: string, sql: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    // async, so the writer in this process keeps writing while psql runs
    const p = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    p.stdin.end(sql);
  });
}

async function scalar(sql: string): Promise<string> {
  const r = await t.exec(sql);
  return String(Object.values(r.rows[0] as Record<string, unknown>)[0]);
}

describe('schema review migrations applied under a writer', () => {
  it('applies every type change in order: no failed statement, no lost row, nothing left on *_old', async () => {
    const r = await runCli(['schema', '--db', t.url, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const typeChanges = report.findings.filter((f) => f.evidence.typeChange !== undefined);
    const byRule = (rule: string, column: string) => typeChanges.find((f) => f.rule === rule && f.target.column === column);
    expect(byRule('schema-int4-primary-key', 'id')?.target.relation).toBe('public.orders');
    expect(byRule('schema-amount-type', 'amount')).toBeDefined();
    expect(byRule('schema-timestamp-type', 'created_at')).toBeDefined();
    expect(byRule('schema-json-column', 'payload')).toBeDefined();

    // the ids are 'c1', 'c2': no cast is printed, the finding says why
    const textId = byRule('schema-id-as-text', 'customer_id');
    expect(textId?.fix?.content).toMatch(/not converted: invalid input syntax for type bigint: "c\d+"/);
    expect(textId?.fix?.content).not.toMatch(/ALTER TABLE/);
    expect(textId?.fix?.verified).toBe(false);

    const timestamp = byRule('schema-timestamp-type', 'created_at')?.fix?.content ?? '';
    expect(timestamp).toMatch(/AT TIME ZONE 'UTC'/);
    const key = byRule('schema-int4-primary-key', 'id')?.fix?.content ?? '';
    expect(key).toMatch(/DROP VIEW IF EXISTS public\.big_orders;\nDROP VIEW IF EXISTS public\.order_summary;/);
    expect(key).toMatch(/change public\.order_items\.order_id to bigint/);
    expect(key).toMatch(/change public\.shipments\.order_id to bigint/);

    const before = { orders: Number(await scalar('SELECT count(*) FROM orders')), items: Number(await scalar('SELECT count(*) FROM order_items')) };
    const writer = new LiveWriter('app', writerClient, async (c, i) => {
      // the release that was running before the migration: it knows only the old column names
      const o = await c.query<{ id: string }>(`INSERT INTO orders (customer_id, amount, created_at, payload) VALUES ($1, $2, $3, $4) RETURNING id`, [`c${i}`, '9.99', '2024-02-01 08:00:00', '{"w":1}']);
      await c.query(`INSERT INTO order_items (order_id, qty) VALUES ($1, 1)`, [o.rows[0]?.id]);
    });
    await writer.start();
    const failed: string[] = [];
    try {
      for (const f of typeChanges) {
        if (f.fix?.content === undefined || f.fix.content.startsWith('-- not converted')) continue;
        await writer.progress(5);
        const run = await psql(t.url, f.fix.content);
        if (run.code !== 0) failed.push(`${f.rule} ${f.target.relation}.${f.target.column}: ${run.stderr}`);
      }
      await writer.progress(5);
    } finally {
      await writer.stop();
    }
    expect(failed).toEqual([]);
    expect(writer.failures).toEqual([]);
    expect(writer.ok).toBeGreaterThan(0);
    expect(Number(await scalar('SELECT count(*) FROM orders'))).toBe(before.orders + writer.ok);
    expect(Number(await scalar('SELECT count(*) FROM order_items'))).toBe(before.items + writer.ok);

    // new types; the text key stays as it was
    const types = await t.exec(`SELECT c.relname || '.' || a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname IN ('orders', 'order_items', 'shipments', 'order_summary') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1`);
    const type = Object.fromEntries(types.rows.map((x: { col: string; type: string }) => [x.col, x.type]));
    expect(type).toMatchObject({
      'orders.id': 'bigint', 'orders.amount': 'numeric(12,2)', 'orders.created_at': 'timestamp with time zone', 'orders.payload': 'jsonb', 'orders.customer_id': 'text',
      'order_items.order_id': 'bigint', 'shipments.order_id': 'bigint', 'order_summary.id': 'bigint', 'order_summary.amount': 'numeric(12,2)',
    });
    // nothing left on the old columns: no *_old/*_new table or view column (an index keeps its build-time attname), no sync function, no unvalidated constraint
    expect((await t.exec(`SELECT attrelid::regclass::text, attname FROM pg_attribute JOIN pg_class c ON c.oid = attrelid WHERE attname ~ '_(old|new)$' AND attnum > 0 AND NOT attisdropped AND c.relkind IN ('r', 'v', 'm') AND c.relnamespace = 'public'::regnamespace`)).rows).toEqual([]);
    expect((await t.exec(`SELECT proname FROM pg_proc WHERE proname LIKE '%\\_sync' AND pronamespace = 'public'::regnamespace`)).rows).toEqual([]);
    expect((await t.exec(`SELECT conname FROM pg_constraint WHERE NOT convalidated`)).rows).toEqual([]);
    // every constraint, view, grant and the sequence moved with the columns
    const cons = await t.exec(`SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) AS c FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`);
    expect(cons.rows.map((x: { c: string }) => x.c)).toEqual(
      expect.arrayContaining(['order_items FOREIGN KEY (order_id) REFERENCES orders(id)', 'order_items CHECK ((qty > 0))', 'shipments FOREIGN KEY (order_id) REFERENCES orders(id)', 'orders PRIMARY KEY (id)']),
    );
    expect(await scalar(`SELECT count(*) FROM big_orders`)).not.toBe('0');
    expect(await scalar(`SELECT reloptions::text FROM pg_class WHERE relname = 'big_orders'`)).toBe('{security_barrier=true}');
    expect(await scalar(`SELECT has_table_privilege('public', 'order_summary', 'SELECT')`)).toBe('true');
    expect(await scalar(`SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 'orders_id_seq'::regclass`)).toBe('bigint');
    expect(await scalar(`SELECT pg_get_serial_sequence('orders', 'id')`)).toBe('public.orders_id_seq');
    // the converted values are the old ones: amounts exact, timestamps read as UTC whatever the server's TimeZone
    expect(await scalar(`SELECT count(*) FROM orders WHERE id <= 20000 AND amount <> ((id % 900) + 0.5)`)).toBe('0');
    expect(await scalar(`SELECT count(*) FROM orders WHERE id <= 20000 AND created_at <> timestamptz '2024-01-01 10:00:00+00'`)).toBe('0');
  }, 240_000);
});
