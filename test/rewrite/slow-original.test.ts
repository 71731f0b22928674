import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import { Database } from '../../src/collect/connection.ts';
import { rewriteAndVerify } from '../../src/rewrite/rewrite-and-verify.ts';
import type { RewriteCandidate } from '../../src/rewrite/rule.ts';
import type { SchemaFacts } from '../../src/rewrite/schema-facts.ts';
import { schemaFactsFromSnapshot } from '../../src/rewrite/schema-facts.ts';
import { verifyRewrite } from '../../src/rewrite/verify.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { HypopgEngine } from '../../src/whatif/hypopg-engine.ts';
import type { WhatIfEngine } from '../../src/whatif/what-if-engine.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { SEED_SQL } from './corpus.ts';

/**
 * The seed's correlated AVG(price) on a products table without an index on category_id, large
 * enough that the original cannot finish within the lowered statement timeout (each of 20,000
 * outer rows re-reads the whole table), so verification must go through subsets of the outer table.
 */
const SLOW_FIXTURE_SQL = `
CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories(id), name text NOT NULL);
CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id),
  name text NOT NULL, price numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, description text);
INSERT INTO categories SELECT g, NULL, 'root ' || g FROM generate_series(1, 10) g;
INSERT INTO categories SELECT g, 1 + g % 10, 'category ' || g FROM generate_series(11, 100) g;
INSERT INTO products SELECT g, 11 + (g * 7) % 90, 'product ' || g, round(((g * 37) % 997) / 7.0 + 1, 2),
  timestamptz '2024-01-01 00:00+00' + g * interval '53 minutes', NULL FROM generate_series(1, 20000) g;
ANALYZE;
`;

/** the session statement timeout the verification runs under: far below the original's full run */
const LOW_TIMEOUT_MS = 1500;

let t: TestDatabase;
let db: Database;
let facts: SchemaFacts;
let whatIf: WhatIfEngine | null;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('rewrite_slow');
  await t.exec(SLOW_FIXTURE_SQL);
  facts = schemaFactsFromSnapshot(await collectSnapshot(await t.open(), { showLiterals: true }));
  db = await Database.connect({ url: t.url, statementTimeoutMs: LOW_TIMEOUT_MS });
  whatIf = await HypopgEngine.open(db).catch(() => null);
});
afterAll(async () => {
  await whatIf?.close();
  await db.close();
  await t.drop();
});

const VERIFY = { rowCap: 10_000, analyze: false } as const;

describe('verification when the original is the slow statement', () => {
  it('verifies the seed rewrite on subsets of the outer table and says exactly what was proven', async () => {
    const outcome = await rewriteAndVerify(db, SEED_SQL, { facts, verify: { ...VERIFY, whatIf } });
    const grouped = outcome.rewrites.find((r) => r.rule === 'correlated-subquery-aggregate' && /JOIN \(/.test(r.after ?? ''));
    const v = grouped?.verification;
    expect(grouped?.status, JSON.stringify(grouped?.reasons)).toBe('verified');
    const proof = v?.restricted;
    expect(proof?.why).toMatch(/did not finish on the full data within/);
    expect(proof?.summary).toMatch(/^same rows on \d+ samples of the outer table products p, [\d,]+ rows compared$/);
    expect(proof?.rowsCompared).toBeGreaterThan(0);
    expect(proof?.samples.some((s) => s.part === 'rest')).toBe(true);
    expect(proof?.samples.every((s) => s.equal)).toBe(true);
    expect(v?.measured?.on).toMatch(/the samples of products p/);
    // the index the original needs was costed too, and the rewrite stays cheaper with it
    expect(v?.withIndexes?.indexes).toEqual(['CREATE INDEX ON public.products (category_id)']);
    expect(v?.withIndexes?.cheaper).toBe(true);
    expect(v?.elapsedMs).toBeLessThanOrEqual(v?.budgetMs ?? 0);
    // the other rewrites keep the correlated subquery: not cheaper, so their rows are not compared
    for (const r of outcome.rewrites.filter((x) => x.rule === 'in-subquery-to-exists')) {
      expect(r.status).toBe('unverified');
      expect(r.reasons.join(' ')).toMatch(/not cheaper/);
    }
  });

  it('finds the rows a rewrite gets wrong on the subsets: a rewrite that drops a condition on the outer table', async () => {
    const dropsIn: RewriteCandidate = {
      rule: 'naive',
      title: 'naive rewrite',
      explanation: 'drops the IN condition',
      semantics: 'equivalent',
      severity: 'info',
      after: 'SELECT p.* FROM products p JOIN (SELECT category_id, avg(price) AS a FROM products GROUP BY category_id) x ON x.category_id = p.category_id WHERE p.price < x.a ORDER BY p.created_at DESC',
      preconditions: [],
    };
    const v = await verifyRewrite(db, SEED_SQL, dropsIn, { ...VERIFY, facts, whatIf });
    expect(v.status).toBe('unverified');
    expect(v.restricted?.why).toMatch(/did not finish on the full data/);
    expect(v.reasons.join(' ')).toMatch(/results differ for sample \d+ .*rewrite only: \(/);
    expect(v.restricted?.samples.some((s) => s.part === 'rest' && !s.equal)).toBe(true);
  });

  it('query --rewrite proves the given rewrite on subsets when the original exceeds the statement timeout', async () => {
    const rewrite = 'SELECT p.* FROM products p JOIN (SELECT category_id, avg(price) AS a FROM products GROUP BY category_id) x ON x.category_id = p.category_id WHERE p.category_id IN (SELECT c.id FROM categories c WHERE c.parent_id = 5) AND p.price < x.a ORDER BY p.created_at DESC';
    const r = await runCli(['query', '--db', t.url, '--statement-timeout', String(LOW_TIMEOUT_MS), '--format', 'json', SEED_SQL, '--rewrite', rewrite]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/statement timeout.*verifying the rewrite on subsets of the outer table instead/);
    const json = JSON.parse(r.stdout) as { rewrite: { rewrites: { status: string; verification: { restricted: { summary: string } | null } }[] }; findings: { fix?: { verified: boolean } }[] };
    expect(reportSchemaErrors(json)).toEqual([]);
    expect(json.rewrite.rewrites[0]?.status).toBe('verified');
    expect(json.rewrite.rewrites[0]?.verification.restricted?.summary).toMatch(/^same rows on \d+ samples? of the outer table products p/);
    expect(json.findings[0]?.fix?.verified).toBe(true);
  });
});
