import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/demo/embedded-server.ts';
import { startPostgres } from '../../src/demo/postgres-server.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase, urlFor } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('cli_errors');
  await t.exec(`CREATE TABLE a (id int PRIMARY KEY, b int); INSERT INTO a SELECT g, g FROM generate_series(1, 100) g; ANALYZE;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-cli-'));
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

const noStack = (stderr: string): void => expect(stderr).not.toMatch(/\n\s+at [\w.<>]+ \(/);

describe('usage', () => {
  it('prints the command list with no arguments (exit 2) and with --help (exit 0)', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/Commands:\n\s+demo/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/profile\s+PROFILE phase/);
    expect(help.stdout).toMatch(/Exit codes: 0 clean, 1 findings/);
  });

  it('prints a command\'s options', async () => {
    const r = await runCli(['profile', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--db URL', '--format FORMAT', '--out FILE', '--depth 1-5', '--fail-on SEVERITY', '--config FILE', '--baseline']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('accepts the seed spelling --profile', async () => {
    const r = await runCli(['--profile', '--db', t.url, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).command).toBe('profile');
  });

  it.each([
    [['nonsense'], /unknown command "nonsense"/],
    [['profile', '--format', 'xml', '--db', 'postgresql://x@127.0.0.1:1/x'], /unknown --format "xml"/],
    [['profile', '--depth', '9', '--db', 'postgresql://x@127.0.0.1:1/x'], /--depth must be a whole number between 1 and 5/],
    [['profile', '--set', 'oops', '--db', 'postgresql://x@127.0.0.1:1/x'], /--set expects ANALYZER.OPTION=VALUE/],
    [['profile', '--fail-on', 'fatal', '--db', 'postgresql://x@127.0.0.1:1/x'], /--fail-on must be critical, warning or info/],
    [['profile', '--db', 'mysql://root@localhost/db'], /not a PostgreSQL connection URL/],
  ])('rejects %j with exit 2', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
  });

  it('rejects a config file that is not JSON, and an unknown analyzer option', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    const r = await runCli(['profile', '--db', t.url, '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not valid JSON/);
    const r2 = await runCli(['profile', '--db', t.url, '--set', 'unused-indexes.nope=1']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/analyzer unused-indexes has no option "nope"/);
  });

  it('reads analyzer options from a config file', async () => {
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ format: 'json', analyzers: { 'cache-hit-ratio': { minBlocks: 1, targetPercent: 100.5 } } }));
    const r = await runCli(['profile', '--db', t.url, '--config', cfg]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; title: string }[] };
    expect(report.findings.find((f) => f.rule === 'cache-hit-ratio')?.title).toMatch(/below the 100.5 % target/);
  });
});

describe('connections', () => {
  it('unknown database: exit 3 and what to check', async () => {
    const r = await runCli(['profile', '--db', urlFor('no_such_database_xyz')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/database "no_such_database_xyz" does not exist/);
    noStack(r.stderr);
  });

  it('connection from DATABASE_URL and from PG* variables', async () => {
    const viaEnv = await runCli(['profile', '--format', 'json'], { env: { DATABASE_URL: t.url } });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout).database.name).toBe(t.name);
    const u = new URL(t.url);
    const viaPg = await runCli(['profile', '--format', 'json'], {
      env: { PGHOST: u.hostname, PGPORT: u.port, PGUSER: u.username, PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: t.name },
    });
    expect(viaPg.code).toBe(0);
    expect(JSON.parse(viaPg.stdout).database.name).toBe(t.name);
  });

  it('wrong password: exit 3, says which setting to check, never echoes the password', async () => {
    const dataDir = join(tmpdir(), `dbo-auth-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    const port = await freePort();
    const server = await startPostgres({ dataDir, port, password: 'right' });
    try {
      const r = await runCli(['profile', '--db', `postgresql://postgres:wrong-secret@127.0.0.1:${port}/postgres`]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/password authentication failed/);
      expect(r.stderr).toMatch(/PGPASSWORD or ~\/\.pgpass/);
      expect(r.stderr).not.toContain('wrong-secret');
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('degraded environments', () => {
  it('without pg_stat_statements: the workload analyzers are skipped with the reason, the rest runs', async () => {
    const other = await createTestDatabase('cli_nopgss');
    try {
      await other.exec('DROP EXTENSION IF EXISTS pg_stat_statements; CREATE TABLE x (id int PRIMARY KEY, y int REFERENCES x(id));');
      const r = await runCli(['profile', '--db', other.url, '--format', 'json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as { skipped: { analyzer: string; reason: string }[]; findings: { rule: string }[] };
      expect(reportSchemaErrors(report)).toEqual([]);
      expect(report.skipped.find((s) => s.analyzer === 'top-statements')?.reason).toMatch(/CREATE EXTENSION pg_stat_statements/);
      expect(report.findings.some((f) => f.rule === 'fk-without-index')).toBe(true);
    } finally {
      await other.drop();
    }
  });

  it('a role without pg_read_all_stats still gets a report', async () => {
    const role = `dbo_limited_${process.pid}`;
    await t.exec(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN PASSWORD 'limited'; GRANT CONNECT ON DATABASE ${t.name} TO ${role};`);
    try {
      const u = new URL(t.url);
      u.username = role;
      u.password = 'limited';
      const r = await runCli(['profile', '--db', u.toString(), '--format', 'json']);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(reportSchemaErrors(report)).toEqual([]);
      expect(report.database.name).toBe(t.name);
    } finally {
      await t.exec(`REVOKE CONNECT ON DATABASE ${t.name} FROM ${role}`);
      const admin = await t.client();
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
      await admin.end();
      await t.exec(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it('a malformed SQL workload file: the broken statement is named by line, the rest is used', async () => {
    const file = join(dir, 'w.sql');
    writeFileSync(file, '-- calls: 10\nSELECT * FROM a WHERE id = 1;\nSELEC broken;\n');
    const r = await runCli(['profile', '--db', t.url, '--workload', file, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/w\.sql:3: statement does not parse/);
    expect(JSON.parse(r.stdout).workload.statements).toBe(2);
  });

  it('a missing or binary workload file: exit 2', async () => {
    const missing = await runCli(['profile', '--db', t.url, '--workload', join(dir, 'nope.sql')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.sql: ENOENT/);
    const bin = join(dir, 'bin.sql');
    writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0, 255]));
    const binary = await runCli(['profile', '--db', t.url, '--workload', bin]);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/not a text SQL file/);
  });

  it('--out writes the report to a file', async () => {
    const out = join(dir, 'report.md');
    const r = await runCli(['profile', '--db', t.url, '--format', 'markdown', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^# db-optimize profile/);
  });
});
