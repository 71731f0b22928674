import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

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
