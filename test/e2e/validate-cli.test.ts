import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Validation } from '../../src/validate/validation-report.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import type { SourceDatabase } from '../validate/source-database.ts';
import { copiesOf, createSourceDatabase } from '../validate/source-database.ts';

describe('db-optimize validate (CLI)', () => {
  let source: SourceDatabase;
  beforeAll(async () => {
    source = await createSourceDatabase(30_000);
    await source.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    // the application's traffic, as pg_stat_statements records it: the lookup with a parameter
    const app = new pg.Client({ connectionString: source.url, application_name: 'the-app' });
    await app.connect();
    for (let i = 1; i <= 20; i++) await app.query('SELECT id, region FROM accounts WHERE email = $1', [`user${i * 97}@example.com`]);
    await app.end();
  });
  afterAll(async () => {
    await source?.drop();
  });

  it('replays pg_stat_statements by default, with $1 drawn from pg_stats, and prints a report that fits the schema', async () => {
    const r = await runCli(['validate', '--db', source.url, '--duration', '1', '--clients', '2', '--format', 'json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { command: string; validation: Validation; findings: { rule: string }[] };
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.command).toBe('validate');
    const v = report.validation;
    const lookup = v.statements.find((s) => s.query === 'SELECT id, region FROM accounts WHERE email = $1');
    expect(lookup?.parameters).toContain('drawn from pg_stats');
    expect(lookup?.before?.calls).toBeGreaterThan(0);
    expect(lookup?.after?.errors).toBe(0);
    expect(v.applied.some((a) => a.kind === 'index' && a.ok && a.sql.includes('(email)'))).toBe(true);
    expect(v.copy.dropped).toBe(true);
    expect(await copiesOf(process.pid)).toEqual([]);
  });

  it('full --validate: the analysis, then the advice measured on a copy, in one schema-valid report', async () => {
    const r = await runCli(['full', '--db', source.url, '--validate', '--duration', '0.5', '--clients', '1', '--format', 'json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { command: string; validation: Validation; findings: { rule: string }[]; analyzers: unknown[] };
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.command).toBe('full');
    expect(report.analyzers.length).toBeGreaterThan(10);
    expect(report.findings.some((f) => f.rule === 'validation-summary')).toBe(true);
    expect(report.validation.applied.some((a) => a.kind === 'index' && a.ok && a.sql.includes('(email)'))).toBe(true);
    expect(report.validation.copy.dropped).toBe(true);
    expect(await copiesOf(process.pid)).toEqual([]);
  });

  it('prints the before/after table on a terminal report', async () => {
    const r = await runCli(['validate', '--db', source.url, '--duration', '0.5', '--clients', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Replay before → after (measured on the copy)');
    expect(r.stdout).toMatch(/scorecard before: p95 .* \(< 100 ms\), p99 .* \(< 500 ms\)/);
  });

  it('replays a log with the values it recorded (--log)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbo-validate-log-'));
    const log = join(dir, 'postgresql.log');
    const lines: string[] = [];
    for (let i = 1; i <= 30; i++) {
      lines.push(`2026-12-03 10:00:${String(i).padStart(2, '0')}.000 UTC [4242] app@shop LOG:  execute S_1: SELECT id, region FROM accounts WHERE email = $1`);
      lines.push(`2026-12-03 10:00:${String(i).padStart(2, '0')}.000 UTC [4242] app@shop DETAIL:  parameters: $1 = 'user${i * 31}@example.com'`);
    }
    lines.push('2026-12-03 10:01:00.000 UTC [4243] app@shop LOG:  statement: SELECT id FROM accounts WHERE region = 7 ORDER BY id LIMIT 5');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const r = await runCli(['validate', '--db', source.url, '--log', log, '--duration', '0.5', '--clients', '1', '--format', 'json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const v = (JSON.parse(r.stdout) as { validation: Validation }).validation;
    const lookup = v.statements.find((s) => s.query === 'SELECT id, region FROM accounts WHERE email = $1');
    expect(lookup?.parameters).toBe('30 value set(s) from the log');
    expect(lookup?.before?.calls).toBeGreaterThan(0);
    expect(lookup?.before?.errors).toBe(0);
    const literal = v.statements.find((s) => s.query.includes('region ='));
    expect(literal?.parameters).toBe('constants as written');
    expect(literal?.query).not.toContain('7'); // literals redacted in what is printed
  });

  it('exits 2 with an explanation when another session holds the source', async () => {
    const other = new pg.Client({ connectionString: source.url, application_name: 'the-app' });
    await other.connect();
    try {
      const r = await runCli(['validate', '--db', source.url, '--duration', '0.5']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('other sessions are connected to it');
      expect(r.stderr).toContain('staging copy');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await other.end();
    }
  });

  it('refuses to copy a database larger than --max-copy-gb', async () => {
    const r = await runCli(['validate', '--db', source.url, '--max-copy-gb', '0.001', '--duration', '0.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is \d+(\.\d)? MB, more than the 1\.0 MB validate copies without asking \(nothing was run\)/);
    expect(r.stderr).toContain('--max-copy-gb');
    expect(await copiesOf(process.pid)).toEqual([]);
  });

  it('rejects bad flags before any work', async () => {
    const r = await runCli(['validate', '--db', source.url, '--clients', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--clients must be a whole number between 1 and 64');
  });
});
