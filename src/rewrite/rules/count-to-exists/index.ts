import type { Ast } from '../../ast.ts';
import { clone, constText, funcName, mkInt, opName, replaceNodes, sqlOf } from '../../ast.ts';
import { defineRule, statementFact } from '../../rule.ts';

/** (SELECT count(*) FROM …) compared with 0/1 so that it only asks "is there a row?": true → EXISTS, false → NOT EXISTS. */
function existenceTest(node: Ast): { sub: Ast; negated: boolean } | null {
  const op = opName(node);
  if (op === null) return null;
  const e = node.A_Expr;
  const flip: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '=': '=', '<>': '<>', '!=': '!=' };
  let link = e.lexpr;
  let value = constText(e.rexpr);
  let o = op;
  if (link?.SubLink === undefined) {
    link = e.rexpr;
    value = constText(e.lexpr);
    o = flip[op] ?? op;
  }
  const s = link?.SubLink;
  if (s?.subLinkType !== 'EXPR_SUBLINK' || value === undefined || value === null) return null;
  const sub = s.subselect?.SelectStmt;
  const target = sub?.targetList?.[0]?.ResTarget?.val;
  if (sub?.targetList?.length !== 1 || funcName(target) !== 'count' || target.FuncCall.agg_star !== true || target.FuncCall.over !== undefined) return null;
  if (sub.groupClause !== undefined || sub.havingClause !== undefined || sub.limitCount !== undefined || sub.limitOffset !== undefined || (sub.op !== undefined && sub.op !== 'SETOP_NONE')) return null;
  const v = Number(value);
  if ((o === '>' && v === 0) || (o === '>=' && v === 1) || ((o === '<>' || o === '!=') && v === 0)) return { sub, negated: false };
  if ((o === '=' && v === 0) || (o === '<' && v === 1) || (o === '<=' && v === 0)) return { sub, negated: true };
  return null;
}

export const countToExists = defineRule({
  id: 'count-to-exists',
  title: 'COUNT(*) > 0 → EXISTS',
  description: '(SELECT count(*) FROM t WHERE …) > 0 counts every matching row to answer a yes/no question; EXISTS stops at the first one. count(*) is never NULL, so the two are equivalent anywhere in a statement.',
  apply({ stmt }) {
    let found = 0;
    const rewritten = replaceNodes(clone(stmt), (n) => {
      const m = existenceTest(n);
      if (m === null) return undefined;
      found++;
      const sub = clone(m.sub);
      sub.targetList = [{ ResTarget: { val: mkInt(1) } }];
      delete sub.sortClause;
      const exists: Ast = { SubLink: { subLinkType: 'EXISTS_SUBLINK', subselect: { SelectStmt: sub } } };
      return m.negated ? { BoolExpr: { boolop: 'NOT_EXPR', args: [exists] } } : exists;
    });
    if (found === 0) return [];
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `COUNT(*) compared with 0 → EXISTS${found > 1 ? ` (${found} places)` : ''}`,
        explanation: 'The count reads every matching row; EXISTS reads until the first. Equivalent: count(*) is never NULL and an aggregate without GROUP BY always returns one row.',
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf(rewritten),
        preconditions: [statementFact('count(*) without GROUP BY returns exactly one, non-NULL row')],
      },
    ];
  },
});
