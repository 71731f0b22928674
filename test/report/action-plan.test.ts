import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/index.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;
let report: Report;
let terminal: string;

const PRODUCT_PAGE = `SELECT * FROM products p WHERE p.price < (SELECT avg(price) FROM products WHERE category_id = p.category_id) ORDER BY p.id`;

beforeAll(async () => {
  t = await createTestDatabase('action_plan');
  await t.exec(`
    CREATE TABLE categories (id int PRIMARY KEY, name text);
    CREATE TABLE products (id int PRIMARY KEY, category_id int REFERENCES categories(id), price numeric, title text);
    CREATE TABLE notes (id int PRIMARY KEY, body text);
    CREATE INDEX notes_body_a ON notes (body);
    CREATE INDEX notes_body_b ON notes (body);
    INSERT INTO categories SELECT g, 'c' || g FROM generate_series(1, 50) g;
    INSERT INTO products SELECT g, g % 50 + 1, (g * 37) % 1000, 't' || g FROM generate_series(1, 4000) g;
    INSERT INTO notes SELECT g, 'n' || g FROM generate_series(1, 500) g;
    ANALYZE;`);
  // the user's workload: the seed's product page (a correlated avg() per row) and cheap lookups
  const c = await t.client();
  try {
    for (let i = 0; i < 3; i++) await c.query(PRODUCT_PAGE);
    for (let i = 1; i <= 50; i++) await c.query('SELECT * FROM products WHERE id = $1', [i]);
  } finally {
    await c.end();
  }
  await t.flushStats();
  const r = await runCli(['full', '--db', t.url, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  report = JSON.parse(r.stdout) as Report;
  const text = await runCli(['full', '--db', t.url, '--no-color']);
  terminal = text.stdout;
}, 300_000);

afterAll(async () => {
  await t.drop();
});

describe('the report as an action plan (full on a real database)', () => {
  it('validates against the published schema with problems, scorecard and actions', () => {
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.problems?.length).toBeGreaterThan(0);
    expect((report.actions ?? []).length).toBeLessThanOrEqual(5);
  });

  it('puts every shown finding into exactly one problem, ranked 1..n', () => {
    const problems = report.problems ?? [];
    const seen = problems.flatMap((p) => p.findings);
    expect([...seen].sort((a, b) => a - b)).toEqual(report.findings.map((_, i) => i));
    expect(problems.map((p) => p.rank)).toEqual(problems.map((_, i) => i + 1));
  });

  it("groups the product page's findings into one statement problem", () => {
    if (!t.extensions.has('pg_stat_statements')) return;
    const fp = report.findings.find((f) => f.target.fingerprint !== undefined && /avg\(price\)/i.test(String(f.evidence.query ?? '')))?.target.fingerprint;
    expect(fp).toBeDefined();
    const statementFindings = report.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.target.fingerprint === fp);
    expect(statementFindings.length).toBeGreaterThan(1);
    const problem = report.problems?.find((p) => p.id === `statement:${fp}`);
    expect(problem).toBeDefined();
    for (const { i } of statementFindings) expect(problem?.findings).toContain(i);
    expect(problem?.title).toMatch(/products/);
    // the problem's fix is one of its findings' fixes, and a verified one whenever any of them is verified
    if (problem?.fix !== null && problem?.fix !== undefined) {
      expect(problem.findings).toContain(problem.fix.finding);
      const anyVerified = problem.findings.some((i) => report.findings[i]?.fix?.verified === true && !/-(proposal|decision)$/.test(report.findings[i]?.rule ?? ''));
      expect(problem.fix.verified).toBe(anyVerified);
    }
  });

  it('measures the seed scorecard, unknown only with a reason', () => {
    const card = report.scorecard ?? [];
    expect(card.map((e) => e.metric)).toEqual(['p95-latency', 'p99-latency', 'pool-use', 'index-hit', 'cache-hit', 'n-plus-one']);
    for (const e of card) {
      if (e.value === null) expect(e.why).toBeTruthy();
      else expect(typeof e.pass).toBe('boolean');
    }
    const pool = card.find((e) => e.metric === 'pool-use');
    expect(pool?.value).toBeGreaterThan(0);
    expect(pool?.pass).toBe(true);
    if (t.extensions.has('pg_stat_statements')) expect(card.find((e) => e.metric === 'p95-latency')?.value).not.toBeNull();
  });

  it('holds back unused-index findings while the statistics are younger than the option', () => {
    // notes_body_a/b are never scanned, but the statistics are minutes old, not the 7 days asked for
    expect(report.findings.some((f) => f.rule === 'unused-indexes')).toBe(false);
    const held = (report.heldBack ?? []).filter((h) => h.rule === 'unused-indexes');
    expect(held.length).toBeGreaterThan(0);
    expect(held[0]?.option).toBe('unused-indexes.minStatsAgeDays');
    expect(held[0]?.requiredSeconds).toBe(7 * 86_400);
  });

  it('never calls an index that backs a foreign key unused', async () => {
    await t.exec('CREATE INDEX products_category_id_idx ON products (category_id)');
    const r = await runCli(['profile', '--db', t.url, '--format', 'json', '--set', 'unused-indexes.minStatsAgeDays=0']);
    const again = JSON.parse(r.stdout) as Report;
    const unused = again.findings.filter((f) => f.rule === 'unused-indexes').map((f) => f.target.index);
    expect(unused).toContain('public.notes_body_a');
    expect(unused).not.toContain('public.products_category_id_idx');
    expect(again.findings.some((f) => f.rule === 'fk-without-index' && f.target.relation === 'public.products')).toBe(false);
    await t.exec('DROP INDEX products_category_id_idx');
  }, 120_000);

  it('prints the scorecard first and the problems in the terminal, saying how to see everything', () => {
    const score = terminal.indexOf('Scorecard (seed targets)');
    const problems = terminal.indexOf('Problems (');
    expect(score).toBeGreaterThan(0);
    expect(problems).toBeGreaterThan(score);
    expect(terminal).toMatch(/--verbose/);
    expect(terminal).not.toMatch(/… \d+ more(?![^\n]*--verbose)/);
  });
});
