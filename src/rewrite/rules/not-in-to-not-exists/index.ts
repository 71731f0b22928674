import type { Ast } from '../../ast.ts';
import { andOf, clone, conjuncts, isSimpleSelect, mkInt, mkOp, plainFromTables, sqlOf } from '../../ast.ts';
import { notNull, resolveColumn } from '../../resolve.ts';
import { defineRule, statementFact } from '../../rule.ts';
import type { Precondition, RuleOutcome } from '../../rule.ts';
import { matchInSubquery } from '../sublink.ts';

export const notInToNotExists = defineRule({
  id: 'not-in-to-not-exists',
  title: 'NOT IN (subquery) → NOT EXISTS (a correctness issue on nullable columns)',
  description:
    'x NOT IN (SELECT y …) is NULL — and the row is dropped — as soon as one y is NULL, so the query silently returns nothing. NOT EXISTS returns the rows without a match, and the planner can run it as an anti-join.',
  apply({ stmt, facts }) {
    const select = stmt.SelectStmt;
    if (!isSimpleSelect(select)) return [];
    const outerTables = plainFromTables(select);
    if (outerTables === null) return [];
    const out: RuleOutcome[] = [];
    const all = conjuncts(select.whereClause);
    for (const c of all) {
      if (c?.BoolExpr?.boolop !== 'NOT_EXPR') continue;
      const m = matchInSubquery(c.BoolExpr.args?.[0], outerTables);
      if (m === null) continue;
      if (typeof m === 'string') {
        out.push({ kind: 'rejected', rule: this.id, reason: m, preconditions: [] });
        continue;
      }
      const innerCol = resolveColumn(m.innerExpr, [m.inner], facts);
      const outerCol = resolveColumn(m.outerExpr, outerTables, facts);
      const innerNotNull = innerCol === null ? null : notNull(facts, innerCol);
      const outerNotNull = outerCol === null ? null : notNull(facts, outerCol);
      const innerName = innerCol === null ? 'the subquery column' : `${innerCol.table.name}.${innerCol.column}`;
      const outerName = outerCol === null ? 'the tested expression' : `${outerCol.table.name}.${outerCol.column}`;
      const preconditions: Precondition[] = [
        { fact: `${innerName} is NOT NULL`, holds: innerNotNull, source: 'snapshot' },
        { fact: `${outerName} is NOT NULL`, holds: outerNotNull, source: 'snapshot' },
      ].map((p) => ({ ...p, source: 'snapshot' as const }));
      const equivalent = innerNotNull === true && outerNotNull === true;
      const notExists: Ast = {
        BoolExpr: {
          boolop: 'NOT_EXPR',
          args: [
            {
              SubLink: {
                subLinkType: 'EXISTS_SUBLINK',
                subselect: {
                  SelectStmt: {
                    targetList: [{ ResTarget: { val: mkInt(1) } }],
                    fromClause: clone(m.sub.fromClause),
                    whereClause: andOf([...conjuncts(m.sub.whereClause).map(clone), mkOp('=', clone(m.innerExpr), clone(m.outerExpr))]),
                    limitOption: 'LIMIT_OPTION_DEFAULT',
                    op: 'SETOP_NONE',
                  },
                },
              },
            },
          ],
        },
      };
      const rewritten = clone(select);
      rewritten.whereClause = andOf(all.map((x) => (x === c ? notExists : clone(x))));
      const after = sqlOf({ SelectStmt: rewritten });
      if (equivalent) {
        out.push({
          kind: 'candidate',
          rule: this.id,
          title: `NOT IN (SELECT … FROM ${m.inner.name}) → NOT EXISTS (anti-join)`,
          explanation: 'Both columns are NOT NULL, so NOT IN and NOT EXISTS keep the same rows; NOT EXISTS can run as a hash anti-join instead of a subplan probed per row.',
          semantics: 'equivalent',
          severity: 'info',
          after,
          preconditions,
        });
        continue;
      }
      out.push({
        kind: 'candidate',
        rule: this.id,
        title: `NOT IN over ${innerNotNull === false ? `nullable ${innerName}` : outerNotNull === false ? `nullable ${outerName}` : 'possibly nullable columns'}: returns no rows once a NULL appears`,
        explanation:
          `x NOT IN (SELECT y …) is NULL when any y is NULL, so the original returns no rows at all as soon as ${innerName} holds a NULL` +
          `${outerNotNull === true ? '' : `, and drops rows whose ${outerName} is NULL`}. NOT EXISTS returns the rows without a match, which is almost always what was meant, and can run as an anti-join.`,
        semantics: 'changes-results',
        semanticsNote: `NOT IN and NOT EXISTS differ when ${innerName === outerName ? innerName : `${innerName} or ${outerName}`} is NULL; this is a correctness fix, so it is never shown as verified — check which result the application wants`,
        severity: 'critical',
        after,
        preconditions: [...uniqueFacts(preconditions.map((p) => ({ ...p, holds: p.holds === null ? null : true, fact: p.holds === false ? p.fact.replace('is NOT NULL', 'is nullable') : p.fact }))), statementFact('the NOT IN is a top-level WHERE condition')],
      });
    }
    return out;
  },
});

/** a column compared with itself (a self NOT IN) is one fact, not two */
function uniqueFacts<T extends { readonly fact: string }>(facts: readonly T[]): T[] {
  return facts.filter((p, i) => facts.findIndex((q) => q.fact === p.fact) === i);
}
