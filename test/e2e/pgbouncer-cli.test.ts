import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

interface PgbJson {
  findings: { rule: string; severity: string; evidence: Record<string, unknown> }[];
  pgbouncer: {
    version: { text: string; source: string };
    poolMode: string;
    poolModeReason: string;
    settings: { section: string; key: string; value: string; why: string }[];
    ini: string;
    authGuidance: string[];
    breakers: { kind: string; statement: string; calls: number; origin: string }[] | null;
    warnings: string[];
  };
}

const SEED = ['pgbouncer', '--clients', '50', '--serverless', '--max-connections', '100', '--read-mostly'];
const value = (r: PgbJson, key: string): string | undefined => r.pgbouncer.settings.find((s) => s.key === key)?.value;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbo-pgb-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('db-optimize pgbouncer: the seed "Connection Pooler Setup" scenario', () => {
  it('50 serverless functions, max_connections 100, short mostly-read queries: a drop-in config with every value explained', async () => {
    const r = await runCli([...SEED, '--pgbouncer-version', '1.21', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PgbJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.pgbouncer.poolMode).toBe('transaction');
    expect(value(report, 'pool_mode')).toBe('transaction');
    expect(value(report, 'default_pool_size')).toBe('20');
    expect(value(report, 'min_pool_size')).toBe('5');
    expect(value(report, 'reserve_pool_size')).toBe('5');
    expect(value(report, 'reserve_pool_timeout')).toBe('3');
    expect(value(report, 'max_db_connections')).toBe('25');
    expect(value(report, 'max_client_conn')).toBe('200');
    expect(value(report, 'server_lifetime')).toBe('3600');
    expect(value(report, 'server_idle_timeout')).toBe('300');
    expect(value(report, 'query_wait_timeout')).toBe('15');
    expect(value(report, 'max_prepared_statements')).toBe('200');
    expect(value(report, 'auth_type')).toBe('scram-sha-256');
    for (const s of report.pgbouncer.settings) expect(s.why.length, s.key).toBeGreaterThan(15);
    // the ini carries each value with its reason as a comment right above it
    expect(report.pgbouncer.ini).toMatch(/\[databases\]\n(; .*\n)+mydb = host=127\.0\.0\.1 port=5432 dbname=mydb/);
    expect(report.pgbouncer.ini).toMatch(/; .*pool \+ reserve = 25 of\n; max_connections 100.*\n(; .*\n)*max_db_connections = 25/);
    expect(report.pgbouncer.authGuidance.join('\n')).toMatch(/pg_authid/);
    expect(report.pgbouncer.poolModeReason).toMatch(/no workload was scanned/);
  });

  it('prints the ini and the auth guidance in a terminal report that fits 80 columns', async () => {
    const r = await runCli([...SEED, '--pgbouncer-version', '1.22']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pool_mode = transaction$/m);
    expect(r.stdout).toMatch(/^max_prepared_statements = 200$/m);
    expect(r.stdout).toMatch(/^Authentication$/m);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('targets the installed PgBouncer when no version is given, and leaves out what it lacks', async () => {
    const r = await runCli([...SEED, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PgbJson;
    if (report.pgbouncer.version.source === 'installed' && /^1\.(1\d|20)\./.test(report.pgbouncer.version.text)) {
      expect(value(report, 'max_prepared_statements')).toBeUndefined();
      expect(report.pgbouncer.warnings.join('\n')).toMatch(/has no max_prepared_statements \(1\.21\+\)/);
    } else {
      expect(value(report, 'max_prepared_statements')).toBe('200');
    }
  });

  it('says so before recommending transaction mode when the workload needs sessions', async () => {
    const file = join(dir, 'app.sql');
    writeFileSync(
      file,
      [
        '-- calls: 500',
        "SET search_path = app, public;",
        '-- calls: 20',
        'LISTEN job_done;',
        '-- calls: 7',
        'SELECT pg_advisory_lock(42);',
        '-- calls: 1000',
        'SELECT id FROM users WHERE id = 1;',
        '-- calls: 3',
        'CREATE TEMP TABLE scratch (id int);',
        '-- calls: 9',
        "SET LOCAL statement_timeout = '1s';",
      ].join('\n'),
    );
    const r = await runCli([...SEED, '--workload', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PgbJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.pgbouncer.breakers?.map((b) => b.kind).sort()).toEqual(['advisory-lock', 'listen', 'session-set', 'temp-table']);
    expect(report.pgbouncer.poolMode).toBe('session');
    expect(report.pgbouncer.poolModeReason).toMatch(/session-level SET, LISTEN, session advisory lock, temporary table/);
    const forced = JSON.parse((await runCli([...SEED, '--workload', file, '--pool-mode', 'transaction', '--format', 'json'])).stdout) as PgbJson;
    expect(forced.pgbouncer.poolMode).toBe('transaction');
    expect(forced.findings.filter((f) => f.rule === 'pgbouncer/transaction-pooling-breaker' && f.severity === 'critical')).toHaveLength(4);
    expect(forced.pgbouncer.warnings.join('\n')).toMatch(/will misbehave until fixed/);
  });

  it('scans a PostgreSQL log for breakers', async () => {
    const log = join(dir, 'postgresql.log');
    writeFileSync(
      log,
      [
        '2026-11-21 10:00:00.000 UTC [123] LOG:  statement: SELECT 1',
        '2026-11-21 10:00:00.100 UTC [123] LOG:  duration: 0.210 ms  statement: DECLARE c CURSOR WITH HOLD FOR',
        '\tSELECT * FROM orders',
        '2026-11-21 10:00:00.200 UTC [124] LOG:  statement: PREPARE q(int) AS SELECT $1',
        '2026-11-21 10:00:00.300 UTC [124] LOG:  execute <unnamed>: SELECT 2',
      ].join('\n'),
    );
    const r = await runCli([...SEED, '--log', log, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PgbJson;
    expect(report.pgbouncer.breakers?.map((b) => b.kind).sort()).toEqual(['sql-prepare', 'with-hold-cursor']);
    expect(report.pgbouncer.breakers?.find((b) => b.kind === 'with-hold-cursor')?.origin).toBe(`${log}:2`);
  });

  it('rejects a PgBouncer version without a requested feature, and other bad input, with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [[...SEED, '--prepared-statements', '100', '--pgbouncer-version', '1.18'], /max_prepared_statements needs PgBouncer 1\.21 or newer; the target is 1\.18\.0/],
      [[...SEED, '--pgbouncer-version', '1.12'], /scram-sha-256 needs PgBouncer 1\.14/],
      [[...SEED, '--pgbouncer-version', 'latest'], /--pgbouncer-version must look like 1\.21/],
      [[...SEED, '--pool-mode', 'magic'], /unknown --pool-mode "magic"/],
      [['pgbouncer', '--max-connections', '100'], /needs --clients N/],
      [['pgbouncer', '--clients', '50'], /needs the server's max_connections/],
      [['pgbouncer', '--clients', '50', '--max-connections', '12'], /leaves -1 connections for PgBouncer/],
      [[...SEED, '--log', join(dir, 'missing.log')], /cannot read log file/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('db-optimize pgbouncer --db (pg_stat_statements)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pgb_scan');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('finds session advisory locks in pg_stat_statements and reads max_connections from the server', async () => {
    const c = await t.client();
    await c.query('SELECT pg_advisory_lock(7)');
    await c.query('SELECT pg_advisory_unlock(7)');
    await c.end();
    const r = await runCli(['pgbouncer', '--db', t.url, '--clients', '30', '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PgbJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.pgbouncer.ini).toContain(`${t.name} = host=127.0.0.1`);
    if (t.extensions.has('pg_stat_statements')) {
      expect(report.pgbouncer.breakers?.some((b) => b.kind === 'advisory-lock' && b.origin === 'pg_stat_statements')).toBe(true);
      expect(report.pgbouncer.poolMode).toBe('session');
    } else {
      console.warn('pg_stat_statements is not preloaded on this server: the pg_stat_statements scan is not checked');
      expect(report.pgbouncer.breakers).toBeNull();
    }
  });
});
