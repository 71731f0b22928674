import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import type { Database } from '../../src/collect/connection.ts';
import { rewriteAndVerify } from '../../src/rewrite/rewrite-and-verify.ts';
import type { RewriteCandidate } from '../../src/rewrite/rule.ts';
import type { SchemaFacts } from '../../src/rewrite/schema-facts.ts';
import { schemaFactsFromSnapshot } from '../../src/rewrite/schema-facts.ts';
import { verifyRewrite } from '../../src/rewrite/verify.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { REWRITE_FIXTURE_SQL } from './fixture.ts';
import { TRAPS } from './traps.ts';

let t: TestDatabase;
let db: Database;
let facts: SchemaFacts;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('rewrite_traps');
  await t.exec(REWRITE_FIXTURE_SQL);
  db = await t.open();
  facts = schemaFactsFromSnapshot(await collectSnapshot(db, { showLiterals: true }));
});
afterAll(async () => {
  await t.drop();
});

function naive(after: string): RewriteCandidate {
  return { rule: 'naive', title: 'naive rewrite', explanation: 'made without checking preconditions', semantics: 'equivalent', severity: 'info', after, preconditions: [] };
}

const BASE = { rowCap: 10_000, analyze: false } as const;

describe('trap corpus: never verified', () => {
  it('covers every trap the issue lists', () => {
    expect(TRAPS.map((x) => x.id).sort()).toEqual(
      [
        'correlated-two-outer-tables', 'count-over-empty-group', 'distinct-vs-exists-duplicates', 'limit-without-unique-order', 'not-in-nullable',
        'outer-join-turned-inner', 'set-returning-function-in-select-list', 'sum-over-empty-group', 'volatile-function',
      ].sort(),
    );
  });

  for (const trap of TRAPS) {
    for (const mode of ['when-slow', 'always'] as const) {
      it(`${trap.id}: naive rewrites are unverified (${mode === 'always' ? 'on subsets of the outer table' : 'full data'})`, async () => {
        for (const after of trap.naive) {
          const v = await verifyRewrite(db, trap.sql, naive(after), { ...BASE, facts, outerSubsets: mode });
          expect(v.status, `${after}\n${JSON.stringify(v.reasons)}`).toBe('unverified');
          // the reason names the trap: different rows, an undetermined LIMIT, or a volatile function not run
          expect(v.reasons.join(' '), after).toMatch(/results differ|LIMIT or OFFSET without an ORDER BY|volatile function|no rows, so nothing was proven|cannot be taken in both statements/);
        }
      });
    }
    it(`${trap.id}: no rule produces a verified rewrite with different rows`, async () => {
      const outcome = await rewriteAndVerify(db, trap.sql, { facts, verify: BASE });
      for (const r of outcome.rewrites) {
        const context = JSON.stringify({ rule: r.rule, after: r.after, reasons: r.reasons });
        if (r.status === 'verified') {
          expect(trap.naive.map((n) => n.replace(/\s+/g, ' '))).not.toContain(r.after?.replace(/\s+/g, ' '));
          expect(r.verification?.comparisons.every((c) => c.equal), context).toBe(true);
        }
      }
    });
  }
});
