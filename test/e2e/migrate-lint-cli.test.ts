import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { adminUrl } from '../helpers/test-database.ts';

const dir = mkdtempSync(join(tmpdir(), 'dbo-lint-'));
const bad = join(dir, '001_add_tier.sql');
writeFileSync(bad, "BEGIN;\nALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();\nCREATE INDEX users_token_idx ON users (token);\nCOMMIT;\n");
const good = join(dir, '002_safe.sql');
writeFileSync(good, "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);\n");
const broken = join(dir, '003_mysql.sql');
writeFileSync(broken, 'CREATE TABLE t (\n  id int AUTO_INCREMENT PRIMARY KEY\n);\n');

describe('db-optimize migrate lint', () => {
  it('prints a schema-valid JSON report with line, lock and recipe, and exits 1', async () => {
    const r = await runCli(['migrate', 'lint', bad, good, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; evidence: { line: number; lock: string }; fix: { content: string } }[]; lint: { files: unknown[] } };
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.lint.files).toHaveLength(2);
    const f = report.findings.find((x) => x.rule === 'adding-field-with-default');
    expect(f?.evidence.line).toBe(2);
    expect(f?.evidence.lock).toBe('ACCESS EXCLUSIVE on users');
    expect(report.findings.map((x) => x.rule)).toContain('require-concurrent-index-creation');
    expect(report.findings.map((x) => x.rule)).toContain('require-lock-timeout');
  });

  it('exits 0 on a safe migration', async () => {
    const r = await runCli(['migrate', 'lint', good]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 findings/);
  });

  it('exits 0 when only reminders (no lock_timeout / statement_timeout) are found', async () => {
    const f = join(dir, '005_no_timeouts.sql');
    writeFileSync(f, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (name);\n');
    const r = await runCli(['migrate', 'lint', f, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; severity: string; evidence: { level: string } }[] };
    expect(report.findings.map((x) => [x.rule, x.severity, x.evidence.level])).toEqual([
      ['require-lock-timeout', 'info', 'reminder'],
      ['require-statement-timeout', 'info', 'reminder'],
    ]);
    const gh = await runCli(['migrate', 'lint', f, '--format', 'github']);
    expect(gh.stdout).toMatch(/^::notice /m);
  });

  it('writes GitHub workflow annotations and GitLab code quality JSON', async () => {
    const gh = await runCli(['migrate', 'lint', bad, '--format', 'github']);
    expect(gh.stdout).toMatch(new RegExp(`^::error file=${bad.replace(/[/.]/g, '\\$&')},line=2,endLine=2,col=1,title=adding-field-with-default%3A`, 'm'));
    const gl = await runCli(['migrate', 'lint', bad, '--format', 'gitlab']);
    const issues = JSON.parse(gl.stdout) as { check_name: string; severity: string; location: { path: string; lines: { begin: number } }; fingerprint: string }[];
    const first = issues.find((i) => i.check_name === 'adding-field-with-default');
    expect(first?.location).toEqual({ path: bad, lines: { begin: 2, end: 2 } });
    expect(first?.severity).toBe('critical');
    expect(first?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes exclusions from a config file and --pg-version for version-aware rules', async () => {
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ migrateLint: { exclude: ['require-timeout-settings', 'adding-field-with-default', 'require-concurrent-index-creation', 'prefer-robust-stmts'] } }));
    const r = await runCli(['migrate', 'lint', bad, '--config', cfg, '--format', 'json']);
    expect(r.code).toBe(0);
    const v10 = join(dir, '004_v10.sql');
    writeFileSync(v10, "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\nBEGIN;\nALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';\nCOMMIT;\n");
    expect((await runCli(['migrate', 'lint', v10, '--pg-version', '15'])).code).toBe(0);
    const old = await runCli(['migrate', 'lint', v10, '--pg-version', '10', '--format', 'json']);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/PostgreSQL 10/);
  });

  it('takes the PostgreSQL version from --db when no --pg-version is given', async () => {
    const r = await runCli(['migrate', 'lint', good, '--db', adminUrl(), '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { lint: { pgVersion: number } };
    expect(report.lint.pgVersion).toBeGreaterThanOrEqual(14);
  });

  it('reports an unparsable migration with its position and exit 2, unknown flags and rules with exit 2', async () => {
    const r = await runCli(['migrate', 'lint', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/003_mysql\.sql:2:\d+: migration does not parse/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(['migrate', 'lint', good, '--bogus'])).code).toBe(2);
    expect((await runCli(['migrate', 'lint', good, '--exclude', 'no-such-rule'])).code).toBe(2);
    expect((await runCli(['migrate', 'lint'])).code).toBe(2);
    expect((await runCli(['migrate', 'frobnicate'])).code).toBe(2);
  });
});
