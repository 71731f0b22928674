import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggingPostgres } from '../../helpers/logging-postgres.ts';
import type { LoggingPostgres } from '../../helpers/logging-postgres.ts';
import { NODE_SHOP_SCHEMA, startNodeShop } from '../../helpers/node-shop.ts';
import { runCli } from '../../helpers/run-cli.ts';

const DEBIAN_PREFIX = '%m [%p] %q%u@%d ';
const ENDPOINTS = ['/knex/orders', '/knex/category-products', '/knex/export-orders', '/knex/nightly-stats', '/knex/suggest-email', '/sequelize/users'];

interface Report {
  findings: { rule: string; evidence: { statements: string[]; queriesPerUnit: number } }[];
  n1: { unitBasis: string[]; ignored: { reason: string; statement: string }[] };
}

let server: LoggingPostgres;
let report: Report;

beforeAll(async () => {
  server = await startLoggingPostgres({ logLinePrefix: DEBIAN_PREFIX });
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  const url = server.url('shop');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(NODE_SHOP_SCHEMA);
  await c.end();
  const start = readFileSync(server.logFile, 'utf8').length;
  const shop = await startNodeShop(url, join(mkdtempSync(join(tmpdir(), 'dbo-n1-shoplog-')), 'capture.ndjson'));
  try {
    for (let round = 0; round < 3; round++) for (const path of ENDPOINTS) expect(await shop.get(path)).toBe(200);
  } finally {
    await shop.stop();
  }
  // everything before this marker is in the log once the marker is
  await admin.query("SELECT 'node-shop-log-marker'");
  let log = readFileSync(server.logFile, 'utf8');
  for (let i = 0; i < 200 && !log.includes('node-shop-log-marker'); i++) {
    await new Promise((r) => setTimeout(r, 25));
    log = readFileSync(server.logFile, 'utf8');
  }
  await admin.end();
  const file = `${server.logFile}.shop`;
  writeFileSync(file, log.slice(start));
  const r = await runCli(['n1', '--log', file, '--db', url, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(0);
  report = JSON.parse(r.stdout) as Report;
});
afterAll(async () => {
  await server?.stop();
});

describe("n1 on the Node shop (Knex + Sequelize) from the server log, Debian's prefix, defaults", () => {
  it('finds the 1 + N and the nested N + 1 from the log alone, and says what the log cannot show', () => {
    const rules = report.findings.map((f) => `${f.rule} ${f.evidence.statements.join(' / ')}`);
    // exactly these two: the fan-out's queries are spread over pooled connections
    expect(rules).toHaveLength(2);
    expect(rules.some((r) => /^n1-query .*order_items.*order_id/.test(r)), rules.join('\n')).toBe(true);
    expect(rules.some((r) => /^n1-repeating-group .*orders.*order_items/.test(r)), rules.join('\n')).toBe(true);
    expect(report.n1.unitBasis[0]).toMatch(/fan-out \(Promise\.all\) spreads over pooled connections/);
  });

  it('leaves pagination, uniqueness checks and the batch job unflagged', () => {
    const flagged = report.findings.flatMap((f) => f.evidence.statements).join('\n');
    expect(flagged).not.toMatch(/limit \$\d+ offset|select 1 from "users"|count\(\*\)/i);
    const reasons = new Set(report.n1.ignored.map((i) => i.reason));
    expect(reasons).toContain('pagination');
    expect(reasons).toContain('existence-check');
  });
});
