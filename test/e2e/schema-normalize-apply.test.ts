import { spawn } from 'node:child_process';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSqlParser } from '../../src/sql/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { LiveWriter } from './migrate-online/live-writers.ts';

/**
 * The normalization migration on a table with a text key, a foreign key pointing at it, a view and
 * a grant, applied with psql while a writer inserts: it runs, no committed row is left only in the
 * old table, and what it does not carry is printed as "needs review" instead of "verified".
 */
interface Report {
  findings: { rule: string; target: { relation?: string }; fix?: { content: string; verified: boolean; verification?: string } }[];
}

let t: TestDatabase;
let writerClient: pg.Client;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('schema_norm');
  writerClient = await t.client();
  await t.exec(`
    CREATE TABLE orders (id text PRIMARY KEY, customer_name text, customer_email text, customer_phone text, quantity int);
    INSERT INTO orders SELECT 'o' || g, 'Customer ' || (g % 300), 'c' || (g % 300) || '@example.com', '555-' || (g % 300), 1 + g % 3 FROM generate_series(1, 6000) g;
    CREATE TABLE shipments (id bigserial PRIMARY KEY, order_id text REFERENCES orders (id));
    INSERT INTO shipments (order_id) SELECT 'o' || g FROM generate_series(1, 100) g;
    CREATE VIEW order_quantities AS SELECT id, quantity FROM orders;
    GRANT SELECT ON orders TO PUBLIC;
    ANALYZE;
  `);
});
afterAll(async () => {
  await writerClient?.end();
  await t?.drop();
});

async function psql(url: string, sql: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    p.stdin.end(sql);
  });
}

describe('schema review normalization applied under a writer', () => {
  it('keeps the text key type, leaves no committed row behind, and says what it does not carry', async () => {
    const r = await runCli(['schema', '--db', t.url, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const norm = (JSON.parse(r.stdout) as Report).findings.find((f) => f.rule === 'schema-normalization' && f.target.relation === 'public.orders');
    const sql = norm?.fix?.content ?? '';
    expect(sql).toMatch(/id text PRIMARY KEY/);
    expect(sql).toMatch(/LOCK TABLE public\.orders IN EXCLUSIVE MODE/);
    expect(sql).toMatch(/NEEDS REVIEW/);
    expect(sql).toMatch(/foreign key shipments\.shipments_order_id_fkey/);
    expect(sql).toMatch(/view order_quantities/);
    expect(sql).toMatch(/grant PUBLIC SELECT/);
    expect(norm?.fix?.verified).toBe(false);

    const writer = new LiveWriter('app', writerClient, (c, i) => c.query(`INSERT INTO orders (id, customer_name, customer_email, customer_phone, quantity) VALUES ($1, 'New', 'new@example.com', '555', 1)`, [`w${i}`]));
    await writer.start();
    let run: { code: number; stderr: string };
    try {
      await writer.progress(10);
      run = await psql(t.url, sql);
      await writer.progress(10);
    } finally {
      await writer.stop();
    }
    expect(run.code, run.stderr).toBe(0);
    // every row committed to the old table is in the new one: the copy ran under a write lock
    const missing = await t.exec(`SELECT count(*) AS n FROM orders_old o WHERE NOT EXISTS (SELECT 1 FROM orders n WHERE n.id = o.id)`);
    expect(Number(missing.rows[0]?.n)).toBe(0);
    expect(writer.ok).toBeGreaterThan(0);
    // inserts in the old shape fail loudly after the rename (the application must switch), never vanish into orders_old
    expect(writer.failures.filter((f) => !/column "customer_name" of relation "orders" does not exist/.test(f))).toEqual([]);
    expect(Number((await t.exec(`SELECT count(*) AS n FROM orders`)).rows[0]?.n)).toBe(6000 + writer.ok);
  }, 120_000);
});
