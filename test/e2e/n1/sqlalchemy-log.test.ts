import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggingPostgres } from '../../helpers/logging-postgres.ts';
import type { LoggingPostgres } from '../../helpers/logging-postgres.ts';
import { reportSchemaErrors } from '../../helpers/report-schema.ts';
import { runCli } from '../../helpers/run-cli.ts';

const APP = fileURLToPath(new URL('../../apps/sqlalchemy-shop/app.py', import.meta.url));
const SCHEMA = readFileSync(new URL('../../apps/sqlalchemy-shop/schema.sql', import.meta.url), 'utf8');
// Debian's python3-sqlalchemy / python3-psycopg2 live in the system interpreter
const PYTHON = '/usr/bin/python3';

let server: LoggingPostgres;
let url: string;

/** Runs the app and returns the log lines it produced. */
async function runApp(loader: string): Promise<string> {
  const before = readFileSync(server.logFile, 'utf8').length;
  const out = execFileSync(PYTHON, [APP, url, loader], { encoding: 'utf8' });
  expect(Number(out.trim())).toBeGreaterThan(0);
  // the server writes its log asynchronously: wait for the session's disconnection line
  for (let i = 0; i < 50 && !readFileSync(server.logFile, 'utf8').slice(before).includes('ROLLBACK'); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 200));
  return readFileSync(server.logFile, 'utf8').slice(before);
}

/** SELECTs on the app's tables (SQLAlchemy's own connect-time checks left out). */
const selects = (log: string): number =>
  log.split(/\n(?=\d{4}-\d\d-\d\d )/).filter((r) => /LOG: {2}statement: SELECT/.test(r) && /\bFROM (users|orders)\b/.test(r)).length;

beforeAll(async () => {
  server = await startLoggingPostgres();
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  await admin.end();
  url = server.url('shop');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(SCHEMA);
  await c.end();
});
afterAll(async () => {
  await server?.stop();
});

describe('n1 on a real SQLAlchemy 1.4 app through the PostgreSQL log', () => {
  it('finds User.orders lazy-loaded per user, proposes selectinload, and the fix turns 1 + N queries into 2', async () => {
    const lazyLog = await runApp('lazy');
    expect(selects(lazyLog)).toBe(9);
    const logFile = `${server.logFile}.lazy`;
    writeFileSync(logFile, lazyLog);
    const r = await runCli(['n1', '--log', logFile, '--db', url, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      findings: { rule: string; title: string; evidence: Record<string, unknown>; fix?: { content: string; language?: string } }[];
      n1: { sources: { format?: string; logLinePrefix?: string | null }[] };
    };
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.n1.sources[0]).toMatchObject({ format: 'stderr', logLinePrefix: '%m [%p] %c %x ' });
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0];
    expect(f?.rule).toBe('n1-query');
    expect(f?.title).toBe('1 + N: orders loaded once per user row');
    expect(f?.evidence.orm).toBe('sqlalchemy');
    expect(f?.evidence.queriesBefore).toBe(9);
    expect(f?.evidence.expectedQueriesAfter).toBe(2);
    expect(f?.evidence.relationship).toMatch(/users → orders via orders\.user_id \(foreign key orders_user_id_fkey\)/);
    expect(f?.fix?.language).toBe('python');
    expect(f?.fix?.content).toContain("selectinload(User.orders), raiseload('*')");

    const fixedLog = await runApp('selectin');
    expect(selects(fixedLog)).toBe(2);
    expect(selects(fixedLog)).toBe(f?.evidence.expectedQueriesAfter);
    writeFileSync(`${server.logFile}.fixed`, fixedLog);
    const again = await runCli(['n1', '--log', `${server.logFile}.fixed`, '--format', 'json']);
    expect((JSON.parse(again.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('reads the same log from stdin and with an explicit --log-line-prefix', async () => {
    const log = await runApp('lazy');
    const r = await runCli(['n1', '--log', '-', '--log-line-prefix', '%m [%p] %c %x ', '--format', 'json'], { stdin: log });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toEqual(['n1-query']);
  });
});
