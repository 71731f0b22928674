import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { adminUrl } from '../helpers/test-database.ts';

describe('db-optimize mcp: usage errors before anything starts', () => {
  it('needs a database', async () => {
    const r = await runCli(['mcp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mcp needs the database: --db URL/);
    expect(r.stdout).toBe('');
  });

  it('takes --host only with --http, and a port in range', async () => {
    const host = await runCli(['mcp', '--db', 'postgresql://127.0.0.1:1/x', '--host', '0.0.0.0']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/--host only applies to --http PORT/);
    const port = await runCli(['mcp', '--db', 'postgresql://127.0.0.1:1/x', '--http', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--http must be a whole number between 0 and 65535/);
  });

  it('is listed in the help with its safety rules', async () => {
    const r = await runCli(['help', 'mcp']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--allow-writes/);
    expect(r.stdout).toMatch(/read-only/);
  });
});

describe('db-optimize mcp on a pipe (any client speaking JSON-RPC lines)', () => {
  it('answers every request sent before stdin closed, then exits 0', async () => {
    const lines = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'sh', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'query', arguments: { sql: 'SELECT 1; COMMIT; DROP TABLE t' } } },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'query', arguments: { sql: 'SELECT relname FROM pg_class WHERE relname = $1', params: ['pg_class'] } } },
    ];
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../bin/db-optimize.js', import.meta.url)), 'mcp', '--db', adminUrl()], {
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    const code = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(await code).toBe(0);
    const answers = new Map(out.trim().split('\n').map((l) => JSON.parse(l) as { id?: number; result?: { isError?: boolean; structuredContent?: { command: string } } }).filter((m) => m.id !== undefined).map((m) => [m.id, m.result]));
    expect(answers.get(2)?.isError).toBe(true);
    expect(answers.get(3)?.isError).not.toBe(true);
    expect(answers.get(3)?.structuredContent?.command).toBe('query');
  });
});
