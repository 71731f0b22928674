import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('profile_cli');
  await t.exec(`
    CREATE TABLE parent (id int PRIMARY KEY, v int);
    CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent(id));
    CREATE INDEX parent_v_a ON parent (v);
    CREATE INDEX parent_v_b ON parent (v);
    INSERT INTO parent SELECT g, g % 10 FROM generate_series(1, 2000) g;
    INSERT INTO child SELECT g, g % 2000 + 1 FROM generate_series(1, 5000) g;
    ANALYZE;`);
});
afterAll(async () => {
  await t.drop();
});

describe('db-optimize profile', () => {
  it('prints a JSON report that validates against the published schema', async () => {
    const r = await runCli(['profile', '--db', t.url, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; target: { index?: string; relation?: string } }[] };
    expect(reportSchemaErrors(report)).toEqual([]);
    const rules = report.findings.map((f) => f.rule);
    expect(rules).toContain('duplicate-indexes');
    expect(rules).toContain('fk-without-index');
    expect(report.findings.find((f) => f.rule === 'fk-without-index')?.target.relation).toBe('public.child');
  });

  it('exits 1 with --fail-on warning when warnings exist', async () => {
    const r = await runCli(['profile', '--db', t.url, '--format', 'json', '--fail-on', 'warning']);
    expect(r.code).toBe(1);
  });

  it('reports a connection error with exit code 3 and no stack trace', async () => {
    const r = await runCli(['profile', '--db', 'postgresql://postgres@127.0.0.1:1/nope']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/connection refused/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown flag with exit code 2', async () => {
    const r = await runCli(['profile', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus/);
  });
});
