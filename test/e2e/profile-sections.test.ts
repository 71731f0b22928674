import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../src/analyzers/registry.ts';
import { PROFILE_GROUPS } from '../../src/analyzers/profile/profile-sections.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

interface JsonReport {
  findings: { rule: string; severity: string; title: string; evidence: Record<string, unknown>; target: Record<string, string> }[];
  groups?: { id: string; title: string; rules: string[] }[];
  statements?: { query: string; calls: number; meanTimeMs: number; totalTimeMs: number; fingerprint: string | null }[];
  skipped: { analyzer: string; reason: string }[];
  baselineMetrics?: { metric: string; ok: boolean | null }[];
  sections?: { id: string }[];
  analyzers?: { id: string }[];
  heldBack?: { rule: string }[];
}

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('profile_sections');
  dir = mkdtempSync(join(tmpdir(), 'dbo-profile-'));
  // a small demo-shaped database with the planted problems
  await t.exec(`
    CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories(id), name text NOT NULL);
    CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id), name text NOT NULL, price numeric(10,2) NOT NULL);
    CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL, name text NOT NULL);
    CREATE INDEX users_email_idx ON users (email);
    CREATE INDEX users_email_idx2 ON users (email);
    CREATE INDEX users_name_idx ON users (name);
    CREATE TABLE legacy_orders (id SERIAL PRIMARY KEY, customer_email varchar(255));
    INSERT INTO categories SELECT g, NULL, 'c' || g FROM generate_series(1, 50) g;
    INSERT INTO products SELECT g, g % 50 + 1, 'p' || g, g % 100 FROM generate_series(1, 3000) g;
    INSERT INTO users (email, name) SELECT 'u' || g || '@x.org', 'n' || g FROM generate_series(1, 3000) g;`);
  await t.exec(`SELECT setval('legacy_orders_id_seq', 2100000000)`);
  await t.exec('ANALYZE');
  for (let i = 0; i < 5; i++) await t.exec('SELECT * FROM products WHERE category_id = $1', [i + 1]);
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('db-optimize profile (all sections)', () => {
  it('writes JSON that validates against the schema, with every profile analyzer run, groups and statements', async () => {
    const r = await runCli(['profile', '--db', t.url, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.findings.filter((f) => f.rule === 'analyzer-error')).toEqual([]);
    const ran = new Set([...(report.analyzers ?? []).map((a) => a.id), ...report.skipped.map((s) => s.analyzer)]);
    for (const a of ANALYZERS.filter((x) => x.phase === 'profile')) expect(ran, a.id).toContain(a.id);
    expect(report.groups?.map((g) => g.title)).toEqual(['Query profiler', 'Index scanner', 'Database health']);
    expect(report.baselineMetrics?.map((m) => m.metric)).toContain('connection_pool_usage');
    expect(report.sections?.map((x) => x.id)).toContain('baseline-metrics');
    const rules = report.findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['duplicate-indexes', 'fk-without-index', 'sequence-overflow']));
    // statistics minutes old: "unused" is held back, one line saying why, not dropped silently
    expect(report.heldBack?.map((h) => h.rule)).toContain('unused-indexes');
    if (t.extensions.has('pg_stat_statements')) {
      expect(report.statements?.some((s) => s.query.startsWith('SELECT * FROM products WHERE category_id = $1'))).toBe(true);
      expect(rules).toContain('top-statements');
    }
  });

  it('groups every profile rule in exactly one section', () => {
    const grouped = PROFILE_GROUPS.flatMap((g) => g.rules);
    expect(new Set(grouped).size).toBe(grouped.length);
    for (const a of ANALYZERS.filter((x) => x.phase === 'profile')) expect(grouped, a.id).toContain(a.id);
  });

  it('prints the terminal report by section with --verbose: Query profiler, Index scanner, Database health', async () => {
    const r = await runCli(['profile', '--db', t.url, '--verbose']);
    expect(r.code).toBe(0);
    // the action plan comes first, then every finding by section
    expect(r.stdout.indexOf('Scorecard')).toBeGreaterThan(0);
    const index = r.stdout.indexOf('── Index scanner');
    const health = r.stdout.indexOf('── Database health');
    expect(index).toBeGreaterThan(0);
    expect(health).toBeGreaterThan(index);
    if (t.extensions.has('pg_stat_statements')) expect(r.stdout.indexOf('── Query profiler')).toBeLessThan(index);
    expect(r.stdout.slice(index, health)).toContain('users_email_idx2');
    expect(r.stdout.slice(health)).toContain('legacy_orders_id_seq');
    // prose wraps at 80 columns; fix and rollback SQL (indented 6) stays on one line so it can be copied
    for (const line of r.stdout.split('\n').filter((l) => !l.startsWith('      '))) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('prints markdown by section too', async () => {
    const r = await runCli(['profile', '--db', t.url, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/## Index scanner\n\n\| # \| Severity \| Finding \| Impact \|/);
    expect(r.stdout.indexOf('## Database health')).toBeGreaterThan(r.stdout.indexOf('## Index scanner'));
    expect(r.stdout).not.toContain('## Findings');
  });

  it('compares with --baseline: a statement whose mean time grew is a regression', async (ctx) => {
    if (!t.extensions.has('pg_stat_statements')) ctx.skip('pg_stat_statements is not available on this server');
    const first = await runCli(['profile', '--db', t.url, '--format', 'json', '--out', join(dir, 'now.json')]);
    expect(first.code).toBe(0);
    const now = JSON.parse(readFileSync(join(dir, 'now.json'), 'utf8')) as JsonReport;
    // the baseline is the same report with that statement 10× faster
    const baseline = {
      ...now,
      statements: (now.statements ?? []).map((s) =>
        s.query.startsWith('SELECT * FROM products WHERE category_id') ? { ...s, meanTimeMs: s.meanTimeMs / 10, totalTimeMs: s.totalTimeMs / 10 } : s,
      ),
    };
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(baseline));
    const r = await runCli(['profile', '--db', t.url, '--format', 'json', '--baseline', join(dir, 'baseline.json'), '--set', 'statement-regressions.minGrowthMs=0']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    const reg = report.findings.filter((f) => f.rule === 'statement-regressions' && f.evidence.meanGrew === true);
    // other statements may drift between the two runs (the tool's own session statements); ours must be there
    const products = reg.find((f) => String(f.evidence.query) === 'SELECT * FROM products WHERE category_id = $1');
    expect(products?.evidence.meanGrew).toBe(true);
    expect(Number(products?.evidence.meanTimeMsNow)).toBeGreaterThan(Number(products?.evidence.meanTimeMsBefore));
  });

  it('rejects a baseline that is not a db-optimize report with exit code 2', async () => {
    writeFileSync(join(dir, 'bogus.json'), '{"hello": 1}');
    const r = await runCli(['profile', '--db', t.url, '--baseline', join(dir, 'bogus.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a db-optimize JSON report/);
  });

  it('rejects an unknown analyzer option with exit code 2', async () => {
    const r = await runCli(['profile', '--db', t.url, '--set', 'slow-statements.bogus=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no option "bogus"/);
  });
});
