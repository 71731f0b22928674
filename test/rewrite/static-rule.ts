import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rewriteStatement } from '../../src/rewrite/rewrite-statement.ts';
import { rewriteRuleById } from '../../src/rewrite/rules/index.ts';
import { initSqlParser, tryParseSql } from '../../src/sql/index.ts';
import { CORPUS } from './corpus.ts';

/**
 * The static half of a rule's tests (no database): its corpus cases fire or stay silent from the
 * AST alone, every rewrite parses, facts the rule needs are "unknown" without a snapshot, and the
 * rule has its doc. The database half is test/rewrite/corpus.test.ts.
 */
export function describeRuleStatically(ruleId: string): void {
  describe(`rule ${ruleId} (static, no database)`, () => {
    beforeAll(async () => {
      await initSqlParser();
    });

    it('is registered and documented (Problem, Detection, Fix, When not to use, References)', () => {
      expect(rewriteRuleById(ruleId)?.description.length).toBeGreaterThan(40);
      const readme = new URL(`../../src/rewrite/rules/${ruleId}/README.md`, import.meta.url);
      expect(existsSync(readme)).toBe(true);
      const text = readFileSync(readme, 'utf8');
      for (const heading of ['## Problem', '## Detection', '## Fix', '## Preconditions', '## When not to use', '## References']) expect(text).toContain(heading);
    });

    const entries = CORPUS.filter((e) => e.rule === ruleId);
    for (const e of entries) {
      it(`${e.kind}: ${e.id}`, () => {
        const rule = rewriteRuleById(ruleId);
        expect(rule).toBeDefined();
        const result = rewriteStatement(e.sql, { facts: null, rules: rule === undefined ? [] : [rule], options: e.uses === undefined ? {} : { uses: e.uses } });
        if (e.kind === 'negative' && e.needsFacts !== true) {
          expect(result.candidates).toEqual([]);
          expect(result.noRuleReason).toMatch(/no rule applies/);
          return;
        }
        for (const c of result.candidates) {
          if (c.after !== null) expect(tryParseSql(c.after).ok, c.after).toBe(true);
          // without a snapshot nothing that needs a catalog fact may claim it holds
          for (const p of c.preconditions.filter((x) => x.source === 'snapshot')) expect(p.holds, p.fact).toBeNull();
        }
        if (e.kind === 'positive' || e.kind === 'proposal' || e.kind === 'semantics-change') {
          expect(result.candidates.length, JSON.stringify(result.rejected)).toBeGreaterThan(0);
          const semantics = { positive: 'equivalent', proposal: 'index-proposal', 'semantics-change': 'changes-results' }[e.kind];
          if (e.needsFacts !== true) expect(result.candidates.every((c) => c.semantics === semantics)).toBe(true);
        }
      });
    }
  });
}
