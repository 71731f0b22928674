import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

const BIN = fileURLToPath(new URL('../../bin/db-optimize.js', import.meta.url));
const READ_TOOLS = ['profile', 'full', 'explain', 'query', 'indexes', 'rewrite', 'n1', 'schema', 'migrate_lint', 'migrate_plan', 'config', 'pool', 'pgbouncer'];

type ToolResult = { isError?: boolean; content: { type: string; text?: string; uri?: string }[]; structuredContent?: Record<string, unknown> };

let tdb: TestDatabase;
let client: Client;
let victim: pg.Client;
let dir: string;
let stderr = '';

/** Everything a tool could change: relations, functions, settings, large objects, row data. */
async function checksum(): Promise<string> {
  const r = await tdb.exec(`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'),
      (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace),
      (SELECT count(*) FROM pg_largeobject_metadata),
      (SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o),
      (SELECT md5(string_agg(a::text, ',' ORDER BY id)) FROM audit a),
      (SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_file_settings WHERE applied),
      (SELECT last_value FROM orders_id_seq)
    )) AS sum`);
  return String(r.rows[0]?.sum);
}

async function call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

function report(r: ToolResult): Record<string, unknown> {
  expect(r.isError, r.content[0]?.text).not.toBe(true);
  const s = r.structuredContent;
  expect(s).toBeDefined();
  expect(reportSchemaErrors(s)).toEqual([]);
  return s as Record<string, unknown>;
}

beforeAll(async () => {
  tdb = await createTestDatabase('mcp');
  await tdb.exec(`
    CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO orders (customer_id, status, total) SELECT g % 2000, CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'shipped' END, g % 300 FROM generate_series(1, 40000) g;
    CREATE TABLE audit (id serial PRIMARY KEY, note text);
    INSERT INTO audit (note) VALUES ('kept');
    CREATE FUNCTION evil_write() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN DELETE FROM audit; RETURN 1; END $$;
    ANALYZE;
  `);
  victim = await tdb.client();
  dir = await mkdtemp(join(tmpdir(), 'dbo-mcp-'));
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--db', tdb.url], env: { ...process.env, DATABASE_URL: '' } as Record<string, string>, stderr: 'pipe' });
  transport.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
  client = new Client({ name: 'db-optimize-test', version: '1.0.0' });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  await victim?.end();
  await tdb?.drop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('db-optimize mcp over stdio (SDK client, real PostgreSQL)', () => {
  it('lists the read-only tools with input and output schemas, and no write tool', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS].sort());
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(t.annotations?.readOnlyHint).toBe(true);
      expect(t.description).toMatch(/read-only/i);
    }
    const query = tools.find((t) => t.name === 'query');
    expect(query?.inputSchema.required).toEqual(['sql']);
  });

  it('answers every tool with a report that validates against the report schema, and keeps the reports as resources', async () => {
    const plan = await tdb.exec(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM orders WHERE customer_id = 42`);
    const log = join(dir, 'postgresql.log');
    const lines = ['2026-11-21 10:00:00.000 UTC [4242] LOG:  duration: 0.900 ms  statement: SELECT * FROM orders WHERE status = \'pending\' LIMIT 20'];
    for (let i = 0; i < 20; i++) lines.push(`2026-11-21 10:00:00.${String(10 + i).padStart(3, '0')} UTC [4242] LOG:  duration: 0.100 ms  statement: SELECT * FROM audit WHERE id = ${i + 1}`);
    await writeFile(log, `${lines.join('\n')}\n`);
    const calls: [string, Record<string, unknown>][] = [
      ['profile', {}],
      ['full', { depth: 2 }],
      ['explain', { plan: JSON.stringify(plan.rows[0]?.['QUERY PLAN']), sql: 'SELECT * FROM orders WHERE customer_id = 42' }],
      ['query', { sql: 'SELECT * FROM orders WHERE customer_id = $1', params: ['42'] }],
      ['indexes', { statements: ['SELECT * FROM orders WHERE customer_id = 42'] }],
      ['rewrite', { sql: 'SELECT * FROM orders o WHERE o.total > (SELECT avg(total) FROM orders i WHERE i.customer_id = o.customer_id)' }],
      ['n1', { log }],
      ['schema', {}],
      ['migrate_lint', { sql: 'CREATE INDEX orders_status_idx ON orders (status);' }],
      ['migrate_plan', { addColumn: 'orders.note', definition: "text NOT NULL DEFAULT 'none'" }],
      ['config', {}],
      ['pool', {}],
      ['pgbouncer', { clients: 200 }],
    ];
    const before = await checksum();
    for (const [name, args] of calls) {
      const r = await call(name, args);
      const s = report(r);
      expect(r.content[0]?.text, name).toMatch(/^db-optimize /);
      expect(r.content[1]).toMatchObject({ type: 'resource_link' });
      expect(String(s.command).replace(' ', '_'), name).toBe(name);
    }
    expect(await checksum()).toBe(before);

    const indexes = (await call('indexes', { statements: ['SELECT * FROM orders WHERE customer_id = 42'] })).structuredContent as { findings: { fix?: { content: string } }[] };
    if (tdb.extensions.has('hypopg')) expect(indexes.findings.some((f) => /CREATE INDEX[\s\S]*customer_id/i.test(f.fix?.content ?? ''))).toBe(true);
    const lint = (await call('migrate_lint', { sql: 'CREATE INDEX orders_status_idx ON orders (status);' })).structuredContent as { findings: { rule: string }[] };
    expect(lint.findings.length).toBeGreaterThan(0);
    const { resources } = await client.listResources();
    expect(resources[0]?.uri).toBe('db-optimize://reports/latest');
    const latest = await client.readResource({ uri: 'db-optimize://reports/latest' });
    const content = latest.contents[0] as { text: string };
    expect(reportSchemaErrors(JSON.parse(content.text))).toEqual([]);
    expect(JSON.parse(content.text).command).toBe('migrate lint');
  });

  it('keeps one pool of at most 3 read-only sessions across calls', async () => {
    const sessions = async (): Promise<{ pid: number; ro: boolean }[]> => {
      const r = await tdb.exec(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'db-optimize'`);
      return r.rows.map((x) => ({ pid: Number(x.pid), ro: true }));
    };
    report(await call('pool', {}));
    const first = (await sessions()).map((s) => s.pid);
    report(await call('config', {}));
    const second = (await sessions()).map((s) => s.pid);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThanOrEqual(3);
    expect(second.length).toBeLessThanOrEqual(3);
    expect(second.filter((p) => first.includes(p)).length).toBeGreaterThan(0);
  });

  it('reports progress to a client that asks for it (a long full is not timed out)', async () => {
    const messages: string[] = [];
    const r = (await client.callTool({ name: 'profile', arguments: {} }, undefined, { onprogress: (p) => void messages.push(p.message ?? ''), resetTimeoutOnProgress: true })) as ToolResult;
    report(r);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toMatch(/connected to .*read-only session/);
  });

  it('refuses every injection attempt before it changes anything', async () => {
    const victimPid = Number((await victim.query('SELECT pg_backend_pid() AS p')).rows[0]?.p);
    const marker = join(dir, 'copied');
    const attempts: [string, Record<string, unknown>][] = [
      ['query', { sql: 'SELECT 1; SELECT 2' }],
      ['query', { sql: 'COMMIT; DROP TABLE orders' }],
      ['query', { sql: 'SELECT 1; COMMIT; DROP TABLE orders' }],
      ['query', { sql: 'SET default_transaction_read_only = off' }],
      ['query', { sql: "SELECT set_config('default_transaction_read_only', 'off', false)" }],
      ['query', { sql: 'BEGIN READ WRITE' }],
      ['query', { sql: 'WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d' }],
      ['query', { sql: 'DO $$ BEGIN DROP TABLE orders; END $$' }],
      ['query', { sql: `SELECT pg_terminate_backend(${victimPid})` }],
      ['query', { sql: "SELECT lo_import('/etc/hostname')" }],
      ['query', { sql: `COPY orders TO PROGRAM 'touch ${marker}'` }],
      ['query', { sql: 'SELECT evil_write()' }],
      ['query', { sql: 'SELECT * FROM orders FOR UPDATE' }],
      ['query', { sql: 'SELECT * INTO stolen FROM orders' }],
      ['query', { sql: 'EXPLAIN ANALYZE DELETE FROM orders' }],
      ['query', { sql: 'DELETE FROM orders' }],
      ['query', { sql: 'SELECT 1', rewrite: 'SELECT 1; DROP TABLE orders' }],
      ['query', { sql: 'SELECT 1', allowWrites: true }],
      ['rewrite', { sql: 'UPDATE orders SET total = 0' }],
      ['rewrite', { sql: 'SELECT evil_write() FROM orders' }],
      ['indexes', { statements: ['SELECT 1; DROP TABLE orders'] }],
      ['indexes', { statements: ['SELECT * FROM orders'], create: true }],
      ['explain', { plan: 'Seq Scan on orders  (cost=0.00..1.00 rows=1 width=4)', sql: 'DROP TABLE orders' }],
    ];
    const before = await checksum();
    for (const [name, args] of attempts) {
      const r = await call(name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}: ${r.content[0]?.text ?? ''}`).toBe(true);
      expect(r.content[0]?.text ?? '').toMatch(/^(refused (sql|rewrite|statements\[0\])|invalid arguments for \w+): /);
    }
    expect(await checksum()).toBe(before);
    expect(existsSync(marker)).toBe(false);
    expect((await victim.query('SELECT 1 AS ok')).rows[0]?.ok).toBe(1);
    expect(stderr).not.toMatch(/internal error/);
  });
});
