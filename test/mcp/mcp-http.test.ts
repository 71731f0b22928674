import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

const BIN = fileURLToPath(new URL('../../bin/db-optimize.js', import.meta.url));

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };

let tdb: TestDatabase;
let child: ChildProcess;
let stderr = '';
let url: URL;
let sessionFile: string;

/** The server prints where it listens on stderr (port 0 picks a free one). */
function listening(): Promise<URL> {
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      stderr += d.toString();
      const m = /MCP server on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m?.[1] !== undefined) resolve(new URL(m[1]));
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`mcp exited with ${String(code)}: ${stderr}`)));
  });
}

function post(hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host: hostHeader, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase('mcphttp');
  await tdb.exec(`
    CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, total numeric NOT NULL);
    INSERT INTO orders (customer_id, total) SELECT g % 3000, g % 100 FROM generate_series(1, 60000) g;
    ANALYZE orders;
  `);
  sessionFile = join(await mkdtemp(join(tmpdir(), 'dbo-mcp-http-')), 'session.json');
  child = spawn(process.execPath, [BIN, 'mcp', '--db', tdb.url, '--http', '0', '--allow-writes', '--session-out', sessionFile], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  url = await listening();
});

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await tdb?.drop();
  if (sessionFile !== undefined) await rm(dirname(sessionFile), { recursive: true, force: true });
});

describe('db-optimize mcp --http (Streamable HTTP on loopback)', () => {
  it('listens on 127.0.0.1 only and refuses a request whose Host is not loopback (DNS rebinding)', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(await post('evil.example')).toBe(403);
  });

  it('serves the tools to the SDK client; with --allow-writes the write tools say so and create for real', async () => {
    const client = new Client({ name: 'db-optimize-http-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url));
    const { tools } = await client.listTools();
    const writes = tools.filter((t) => t.annotations?.readOnlyHint === false).map((t) => t.name);
    expect(writes.sort()).toEqual(['config_apply', 'indexes_create', 'migrate_apply']);
    for (const t of tools) {
      if (writes.includes(t.name)) expect(t.description).toMatch(/^WRITES TO THE DATABASE/);
      else expect(t.description).toMatch(/read-only/i);
    }

    const pool = (await client.callTool({ name: 'pool', arguments: {} })) as ToolResult;
    expect(pool.isError).not.toBe(true);
    expect(reportSchemaErrors(pool.structuredContent)).toEqual([]);

    // the read tools stay read-only even on a server that may write
    const refused = (await client.callTool({ name: 'query', arguments: { sql: 'SELECT 1; COMMIT; DROP TABLE orders' } })) as ToolResult;
    expect(refused.isError).toBe(true);
    expect((await tdb.exec(`SELECT to_regclass('public.orders') IS NOT NULL AS ok`)).rows[0]?.ok).toBe(true);

    if (tdb.extensions.has('hypopg')) {
      const created = (await client.callTool({ name: 'indexes_create', arguments: { statements: ['SELECT * FROM orders WHERE customer_id = 42'] } })) as ToolResult;
      expect(created.isError, created.content[0]?.text).not.toBe(true);
      expect(reportSchemaErrors(created.structuredContent)).toEqual([]);
      const idx = await tdb.exec(`SELECT indexdef FROM pg_indexes WHERE tablename = 'orders' AND indexdef ~ 'customer_id'`);
      expect(idx.rows.length).toBe(1);
    }
    await client.close();
  });

  it('stops on SIGTERM with exit code 0 and logs the session', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/MCP session \(http [^)]*\): \d+ tool calls?, \d+ ok; stopped: SIGTERM/);
    const session = JSON.parse(await readFile(sessionFile, 'utf8')) as { command: string; mcp: { allowWrites: boolean; calls: { tool: string; ok: boolean }[] } };
    expect(reportSchemaErrors(session)).toEqual([]);
    expect(session.command).toBe('mcp');
    expect(session.mcp.allowWrites).toBe(true);
    expect(session.mcp.calls.map((c) => [c.tool, c.ok]).slice(0, 2)).toEqual([['pool', true], ['query', false]]);
  });
});
