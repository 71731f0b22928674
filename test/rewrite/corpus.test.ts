import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import type { Database } from '../../src/collect/connection.ts';
import { rewriteAndVerify } from '../../src/rewrite/rewrite-and-verify.ts';
import type { RewriteCandidate } from '../../src/rewrite/rule.ts';
import { REWRITE_RULES } from '../../src/rewrite/rules/index.ts';
import type { SchemaFacts } from '../../src/rewrite/schema-facts.ts';
import { schemaFactsFromSnapshot } from '../../src/rewrite/schema-facts.ts';
import { verifyRewrite } from '../../src/rewrite/verify.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { CORPUS } from './corpus.ts';
import { REWRITE_FIXTURE_SQL } from './fixture.ts';

let t: TestDatabase;
let db: Database;
let facts: SchemaFacts;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('rewrite_corpus');
  await t.exec(REWRITE_FIXTURE_SQL);
  db = await t.open();
  facts = schemaFactsFromSnapshot(await collectSnapshot(db, { showLiterals: true }));
});
afterAll(async () => {
  await t.drop();
});

const VERIFY = { rowCap: 10_000, analyze: false } as const;

function naiveCandidate(after: string): RewriteCandidate {
  return { rule: 'naive', title: 'naive rewrite', explanation: 'a rewrite made without checking preconditions', semantics: 'equivalent', severity: 'info', after, preconditions: [] };
}

describe('rewrite corpus', () => {
  it('has at least 50 statement pairs and covers every rule with positive and negative or trap cases', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    for (const rule of REWRITE_RULES) {
      const entries = CORPUS.filter((e) => e.rule === rule.id);
      expect(entries.some((e) => e.kind === 'positive' || e.kind === 'proposal' || e.kind === 'semantics-change'), rule.id).toBe(true);
      expect(entries.some((e) => e.kind === 'negative' || e.kind === 'trap'), rule.id).toBe(true);
    }
  });

  for (const entry of CORPUS) {
    it(`${entry.kind}: ${entry.id} (${entry.rule})`, async () => {
      const outcome = await rewriteAndVerify(db, entry.sql, { facts, ruleOptions: entry.uses === undefined ? {} : { uses: entry.uses }, verify: VERIFY });
      const mine = outcome.rewrites.filter((r) => r.rule === entry.rule);
      const context = JSON.stringify({ rewrites: mine.map((r) => ({ title: r.title, after: r.after, status: r.status, reasons: r.reasons })), rejected: outcome.rejected }, null, 1);
      switch (entry.kind) {
        case 'positive': {
          expect(mine.length, context).toBeGreaterThan(0);
          for (const r of mine) {
            expect(r.semantics, context).toBe('equivalent');
            expect(r.verification?.comparisons.length, context).toBeGreaterThan(0);
            for (const c of r.verification?.comparisons ?? []) expect(c.equal, `${context}\n${JSON.stringify(c)}`).toBe(true);
            expect(r.reasons.join(' '), context).not.toMatch(/results differ/);
          }
          if (entry.expectVerified === true) expect(mine.some((r) => r.status === 'verified'), context).toBe(true);
          break;
        }
        case 'negative':
          expect(mine, context).toEqual([]);
          break;
        case 'trap':
          // a trap may be rejected or shown unverified, never verified with the naive meaning
          expect(mine.filter((r) => r.status === 'verified' && r.after?.replace(/\s+/g, ' ') === entry.naive), context).toEqual([]);
          expect(mine.every((r) => r.verification?.comparisons.every((c) => c.equal) ?? true), context).toBe(true);
          break;
        case 'semantics-change':
          expect(mine.length, context).toBeGreaterThan(0);
          for (const r of mine) {
            expect(r.semantics).toBe('changes-results');
            expect(r.status).toBe('unverified');
            expect(r.reasons[0]).toMatch(/changes results by design/);
          }
          break;
        case 'proposal':
          expect(mine.length, context).toBeGreaterThan(0);
          for (const r of mine) {
            expect(r.semantics).toBe('index-proposal');
            expect(r.status).toBe('unverified');
            expect(r.proposal).toMatch(/^CREATE /m);
          }
          break;
      }
      if (entry.naive !== undefined) {
        const v = await verifyRewrite(db, entry.sql, naiveCandidate(entry.naive), { ...VERIFY, facts });
        expect(v.status, JSON.stringify(v.reasons)).toBe('unverified');
        expect(v.reasons.join(' ')).toMatch(/results differ/);
        const c = v.comparisons[0];
        expect(c?.equal).toBe(false);
        expect((c?.onlyBefore.length ?? 0) + (c?.onlyAfter.length ?? 0)).toBeGreaterThan(0);
      }
    });
  }
});
