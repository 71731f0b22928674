/**
 * Tool call through `db-optimize mcp` (stdio, SDK client) vs the same command as a library call in
 * this process (what the CLI runs after its startup) vs the CLI as a process, per command.
 * Target (issue 20): a tool call takes the command's time + < 100 ms.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/mcp/mcp-overhead-bench.ts
 *
 * Creates and drops its own database. Medians of BENCH_RUNS (default 5) after one warm-up each.
 */
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import pg from 'pg';
import { config, explain, indexes, pool, profile, query } from '../../src/index.ts';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const name = `dbo_bench_mcp_${process.pid}`;
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = url.toString();
const BIN = fileURLToPath(new URL('../../bin/db-optimize.js', import.meta.url));

async function sql(connectionString: string, text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

await sql(adminUrl, `CREATE DATABASE ${name}`);
try {
  await sql(db, `
    CREATE EXTENSION IF NOT EXISTS hypopg;
    CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL);
    INSERT INTO orders (customer_id, status, total) SELECT g % 5000, CASE WHEN g % 40 = 0 THEN 'pending' ELSE 'shipped' END, g % 300 FROM generate_series(1, 200000) g;
    ANALYZE orders;`);
  const plan = JSON.stringify((await sql(db, 'EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM orders WHERE customer_id = 42')).rows[0]?.['QUERY PLAN']);
  const stmt = 'SELECT * FROM orders WHERE customer_id = 42';
  const cases: { tool: string; args: Record<string, unknown>; lib: () => Promise<unknown>; cli: string[] }[] = [
    { tool: 'pool', args: {}, lib: () => pool({ db }), cli: ['pool'] },
    { tool: 'config', args: {}, lib: () => config({ db }), cli: ['config'] },
    { tool: 'query', args: { sql: stmt }, lib: () => query({ db, statement: stmt }), cli: ['query', stmt] },
    { tool: 'explain', args: { plan, sql: stmt }, lib: () => explain({ db, plans: ['-'], sql: stmt }, { stdin: Readable.from([plan]) }), cli: [] },
    { tool: 'indexes', args: { statements: [stmt] }, lib: () => indexes({ db, statement: [stmt], noSandbox: true }), cli: ['indexes', '--statement', stmt] },
    { tool: 'profile', args: {}, lib: () => profile({ db }), cli: ['profile'] },
  ];
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--db', db], env: { ...process.env, DATABASE_URL: '' } as Record<string, string>, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  let t0 = performance.now();
  await client.connect(transport);
  console.log(`mcp server start + initialize: ${Math.round(performance.now() - t0)} ms`);
  console.log('tool       library(ms)  mcp call(ms)  mcp - library  cli process(ms)');
  for (const c of cases) {
    const lib = await median(c.lib);
    const mcp = await median(async () => {
      const r = await client.callTool({ name: c.tool, arguments: c.args });
      if (r.isError === true) throw new Error(`${c.tool}: ${JSON.stringify(r.content)}`);
    });
    let cli = Number.NaN;
    if (c.cli.length > 0) {
      t0 = performance.now();
      execFileSync(process.execPath, [BIN, ...c.cli, '--db', db, '--format', 'json'], { stdio: 'ignore' });
      cli = performance.now() - t0;
    }
    console.log(`${c.tool.padEnd(10)} ${lib.toFixed(0).padStart(11)} ${mcp.toFixed(0).padStart(13)} ${(mcp - lib).toFixed(0).padStart(14)} ${Number.isNaN(cli) ? '             -' : cli.toFixed(0).padStart(16)}`);
  }
  await client.close();
} finally {
  await sql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
