import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import type { Database } from '../../src/collect/connection.ts';
import { rewriteAndVerify } from '../../src/rewrite/rewrite-and-verify.ts';
import { rewriteStatement } from '../../src/rewrite/rewrite-statement.ts';
import type { SchemaFacts } from '../../src/rewrite/schema-facts.ts';
import { schemaFactsFromSnapshot } from '../../src/rewrite/schema-facts.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { REWRITE_FIXTURE_SQL } from './fixture.ts';

let t: TestDatabase;
let db: Database;
let facts: SchemaFacts;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('rewrite_params');
  await t.exec(REWRITE_FIXTURE_SQL);
  db = await t.open();
  facts = schemaFactsFromSnapshot(await collectSnapshot(db, { showLiterals: true }));
});
afterAll(async () => {
  await t.drop();
});

const VERIFY = { rowCap: 10_000, analyze: false } as const;

/** statements as pg_stat_statements shows them: every constant is a $n */
describe('parameterized statements (pg_stat_statements texts)', () => {
  it('OFFSET $n paging becomes keyset pagination, verified with page sizes and cursor rows drawn for the parameters', async () => {
    const outcome = await rewriteAndVerify(db, 'SELECT id, email FROM users ORDER BY id LIMIT $1 OFFSET $2', { facts, verify: VERIFY });
    const keyset = outcome.rewrites.find((r) => r.rule === 'offset-to-keyset');
    expect(keyset?.after).toMatch(/users\.id > \$2/);
    expect(keyset?.after).not.toMatch(/OFFSET/i);
    expect(keyset?.verification?.comparisons.length, JSON.stringify(keyset?.reasons)).toBeGreaterThan(0);
    expect(keyset?.verification?.comparisons.every((c) => c.equal && c.rowsBefore > 0)).toBe(true);
    expect(keyset?.status, JSON.stringify(keyset?.reasons)).toBe('verified');
  });

  it('date_trunc(…) = $1, col::date = $1 and lower(col) = $1 get the sargable rewrite, compared with values from pg_stats', async () => {
    for (const sql of ["SELECT id FROM orders WHERE date_trunc('day', created_at) = $1", 'SELECT id FROM orders WHERE created_at::date = $1', 'SELECT id FROM users WHERE lower(email) = $1']) {
      const outcome = await rewriteAndVerify(db, sql, { facts, verify: VERIFY });
      const sargable = outcome.rewrites.filter((r) => r.rule === 'sargable-predicate');
      expect(sargable.length, sql).toBeGreaterThan(0);
      for (const r of sargable) {
        expect(r.reasons.join(' '), sql).not.toMatch(/no pg_stats values|results differ/);
        if (r.after !== null) expect(r.verification?.comparisons.length, `${sql}\n${JSON.stringify(r.reasons)}`).toBeGreaterThan(1);
      }
    }
  });

  it('interval $1 parses, and the statement is considered by the rules', () => {
    const r = rewriteStatement('SELECT id FROM events WHERE created_at > now() - interval $1 ORDER BY id LIMIT $2 OFFSET $3', { facts });
    expect(r.statementType).toBe('SelectStmt');
    expect(r.candidates.map((c) => c.rule)).toContain('offset-to-keyset');
  });
});
