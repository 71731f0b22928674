import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggingPostgres } from '../../helpers/logging-postgres.ts';
import type { LoggingPostgres } from '../../helpers/logging-postgres.ts';
import { reportSchemaErrors } from '../../helpers/report-schema.ts';
import { runCli } from '../../helpers/run-cli.ts';

const APP = fileURLToPath(new URL('../../apps/sqlalchemy-shop/scenarios.py', import.meta.url));
const SCHEMA = readFileSync(new URL('../../apps/sqlalchemy-shop/schema.sql', import.meta.url), 'utf8');
const PYTHON = '/usr/bin/python3';
// Debian's default: no session id, no transaction id
const DEBIAN_PREFIX = '%m [%p] %q%u@%d ';

interface Finding {
  rule: string;
  evidence: { queriesPerUnit: number; expectedQueriesAfter: number; units: number; statements: string[] };
  fix?: { content: string };
}
interface Report {
  findings: Finding[];
  n1: { unitBasis: string[]; ignored: { reason: string }[]; sources: { logLinePrefix?: string | null }[]; thresholds: { roundTripMs: number; roundTripSource: string } };
}

let server: LoggingPostgres;
let url: string;
let admin: pg.Client;
let markers = 0;

/** Waits until the server has written everything before a marker statement to its log. */
async function flushedLog(): Promise<string> {
  const marker = `log-marker-${++markers}`;
  await admin.query(`SELECT '${marker}'`);
  let log = readFileSync(server.logFile, 'utf8');
  for (let i = 0; i < 200 && !log.includes(marker); i++) {
    await new Promise((r) => setTimeout(r, 25));
    log = readFileSync(server.logFile, 'utf8');
  }
  return log;
}

/** Runs the app and returns the log it produced and what it printed. */
async function run(args: string[]): Promise<{ log: string; out: string }> {
  const before = (await flushedLog()).length;
  const out = execFileSync(PYTHON, [APP, url, ...args], { encoding: 'utf8' }).trim();
  return { log: (await flushedLog()).slice(before), out };
}

async function n1(log: string, name: string, extra: string[] = []): Promise<Report> {
  const file = `${server.logFile}.${name}`;
  writeFileSync(file, log);
  const r = await runCli(['n1', '--log', file, '--format', 'json', ...extra]);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as Report;
  expect(reportSchemaErrors(report)).toEqual([]);
  return report;
}

/** SELECTs on the app's tables (SQLAlchemy's connect-time checks left out). */
const selects = (log: string): number => log.split(/\n(?=\d{4}-\d\d-\d\d )/).filter((r) => /LOG: {2}statement: SELECT[\s\S]*\bFROM (users|orders|items)\b/.test(r)).length;

beforeAll(async () => {
  server = await startLoggingPostgres({ logLinePrefix: DEBIAN_PREFIX });
  admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  url = server.url('shop');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(SCHEMA);
  await c.end();
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

describe("n1 on a real SQLAlchemy app, Debian's default log_line_prefix, default thresholds", () => {
  let report: Report;
  let lazy: { log: string; out: string };
  let nested: { log: string; out: string };

  beforeAll(async () => {
    lazy = await run(['lazy']);
    nested = await run(['nested']);
    const traps = await run(['traps']);
    report = await n1(lazy.log + nested.log + traps.log, 'all', ['--db', url]);
  });

  it('finds the 1 + N and the nested N + 1, and leaves the traps unflagged with their reasons', () => {
    // inferred from the lines: only session lines are in this slice, so without the %q part
    expect(report.n1.sources[0]?.logLinePrefix).toMatch(/^%m \[%p\] (%q)?%u@%d $/);
    expect(report.n1.unitBasis[0]).toMatch(/process id \(%p\) but no session id/);
    // with --db the round trip is measured (SELECT 1) instead of the 1 ms default
    expect(report.n1.thresholds.roundTripSource).toBe('measured');
    expect(report.n1.thresholds.roundTripMs).toBeGreaterThan(0);
    expect(report.findings.map((f) => f.rule).sort()).toEqual(['n1-query', 'n1-repeating-group']);
    const oneN = report.findings.find((f) => f.rule === 'n1-query');
    expect(oneN?.evidence.queriesPerUnit).toBe(8);
    const group = report.findings.find((f) => f.rule === 'n1-repeating-group');
    expect(group?.evidence.statements.some((s) => /FROM items/.test(s))).toBe(true);
    const reasons = new Set(report.n1.ignored.map((i) => i.reason));
    for (const r of ['pagination', 'existence-check', 'chunked-batch']) expect(reasons, r).toContain(r);
  });

  it('the printed fixes run verbatim, return the same rows, and issue the predicted number of queries', async () => {
    for (const [rule, before, mode] of [
      ['n1-query', lazy, []],
      ['n1-repeating-group', nested, ['nested']],
    ] as const) {
      const f = report.findings.find((x) => x.rule === rule);
      const line = f?.fix?.content.split('\n').find((l) => l.startsWith('users = session.query(User)'));
      expect(line, rule).toBeDefined();
      const fixed = await run(['fix', line ?? '', ...mode]);
      expect(fixed.out, rule).toBe(before.out);
      expect(selects(fixed.log), rule).toBe(f?.evidence.expectedQueriesAfter);
      expect((await n1(fixed.log, `fixed-${rule}`)).findings, rule).toEqual([]);
    }
  });
});
