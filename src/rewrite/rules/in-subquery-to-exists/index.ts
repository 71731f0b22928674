import type { Ast, FromTable } from '../../ast.ts';
import { andOf, clone, columnRef, conjuncts, fromTable, isSimpleSelect, isStar, mkColumnRef, mkInt, mkOp, mkStarRef, opName, plainFromTables, qualifyOwnColumns, refsTo, sqlOf } from '../../ast.ts';
import { resolveColumn } from '../../resolve.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import type { RuleOutcome } from '../../rule.ts';
import { coversUniqueKey } from '../../schema-facts.ts';
import type { SchemaFacts } from '../../schema-facts.ts';
import { matchInSubquery } from '../sublink.ts';

const RULE_ID = 'in-subquery-to-exists';

/**
 * The other direction: EXISTS (SELECT … FROM t WHERE t.k = outer.x AND …) → JOIN t ON …, when t.k
 * is unique, so each outer row meets at most one t row and the join cannot repeat it.
 */
function existsToJoin(c: Ast, select: Ast, all: readonly Ast[], outerTables: readonly FromTable[], facts: SchemaFacts | null): RuleOutcome | null {
  const link = c?.SubLink;
  if (link?.subLinkType !== 'EXISTS_SUBLINK') return null;
  const sub = link.subselect?.SelectStmt;
  if (!isSimpleSelect(sub) || sub.groupClause !== undefined || sub.havingClause !== undefined || sub.limitCount !== undefined || sub.distinctClause !== undefined || sub.withClause !== undefined) return null;
  const from = plainFromTables(sub);
  if (from === null || from.length !== 1) return null;
  const inner = from[0] as FromTable;
  if (outerTables.some((t) => t.ref === inner.ref)) return null;
  const outerRefs = new Set(outerTables.map((t) => t.ref));
  let key: { innerCol: string; outer: FromTable; eq: Ast } | null = null;
  const rest: Ast[] = [];
  for (const w of conjuncts(sub.whereClause)) {
    if (refsTo(w, outerRefs).length === 0) {
      rest.push(w);
      continue;
    }
    if (key !== null || opName(w) !== '=') return null;
    const l = columnRef(w.A_Expr.lexpr);
    const r = columnRef(w.A_Expr.rexpr);
    if (l === null || r === null) return null;
    const lOuter = l.length === 2 && outerRefs.has(l[0] ?? '');
    const rOuter = r.length === 2 && outerRefs.has(r[0] ?? '');
    if (lOuter === rOuter) return null;
    const innerParts = lOuter ? r : l;
    const outerParts = lOuter ? l : r;
    if (innerParts.length === 2 && innerParts[0] !== inner.ref) return null;
    const outer = outerTables.find((t) => t.ref === outerParts[0]);
    if (outer === undefined) return null;
    key = { innerCol: innerParts[innerParts.length - 1] as string, outer, eq: mkOp('=', mkColumnRef([inner.ref, innerParts[innerParts.length - 1] as string]), clone(lOuter ? w.A_Expr.lexpr : w.A_Expr.rexpr)) };
  }
  if (key === null) return null;
  const innerTable = facts?.table(inner.schema, inner.name);
  const k = key;
  const uniqueFact = fact(facts, `${inner.name}.${k.innerCol} is unique (a NOT NULL primary key or unique constraint), so the join cannot repeat outer rows`, (f) =>
    innerTable !== undefined && f.uniqueKeys(innerTable).some((u) => u.length === 1 && u[0] === k.innerCol),
  );
  if (uniqueFact.holds === false) {
    return { kind: 'rejected', rule: RULE_ID, reason: `EXISTS → JOIN not applied: ${inner.name}.${k.innerCol} is not unique, a join would repeat outer rows once per match`, preconditions: [uniqueFact] };
  }
  const joined = clone(select);
  joined.targetList = joined.targetList.flatMap((t: Ast) =>
    isStar(t.ResTarget?.val) && t.ResTarget.val.ColumnRef.fields.length === 1 ? outerTables.map((ot) => ({ ResTarget: { val: mkStarRef(ot.ref) } })) : [t],
  );
  let placed = false;
  joined.fromClause = joined.fromClause.map((item: Ast) => {
    if (placed || fromTable(item)?.ref !== k.outer.ref) return item;
    placed = true;
    return { JoinExpr: { jointype: 'JOIN_INNER', larg: item, rarg: clone(inner.node), quals: andOf([k.eq, ...rest.map(clone)]) } };
  });
  if (!placed) return null;
  const remaining = all.filter((x) => x !== c).map(clone);
  if (remaining.length > 0) joined.whereClause = andOf(remaining);
  else delete joined.whereClause;
  if (outerTables.length === 1) qualifyOwnColumns(joined, k.outer.ref);
  return {
    kind: 'candidate',
    rule: RULE_ID,
    title: `EXISTS (SELECT … FROM ${inner.name}) → JOIN on a unique key`,
    explanation: `${inner.name}.${k.innerCol} is unique, so the semi-join is an inner join that the planner can reorder freely with the other tables.`,
    semantics: 'equivalent',
    severity: 'info',
    after: sqlOf({ SelectStmt: joined }),
    preconditions: [statementFact('the EXISTS is a top-level WHERE condition'), uniqueFact],
  };
}

export const inSubqueryToExists = defineRule({
  id: 'in-subquery-to-exists',
  title: 'IN (subquery) ↔ EXISTS, and either → JOIN when the subquery column is unique',
  description:
    'x IN (SELECT y FROM t WHERE …) in WHERE is the semi-join EXISTS (SELECT 1 FROM t WHERE … AND t.y = x). When y is unique in t it is also a plain join, which lets the planner reorder it; when y is not unique a join would repeat rows.',
  apply({ stmt, facts }) {
    const select = stmt.SelectStmt;
    if (!isSimpleSelect(select)) return [];
    const outerTables = plainFromTables(select);
    if (outerTables === null) return [];
    const out: RuleOutcome[] = [];
    const all = conjuncts(select.whereClause);
    for (const c of all) {
      const fromExists = existsToJoin(c, select, all, outerTables, facts);
      if (fromExists !== null) out.push(fromExists);
      const m = matchInSubquery(c, outerTables);
      if (m === null) continue;
      if (typeof m === 'string') {
        out.push({ kind: 'rejected', rule: this.id, reason: m, preconditions: [] });
        continue;
      }
      const innerWhere = [...conjuncts(m.sub.whereClause).map(clone), mkOp('=', clone(m.innerExpr), clone(m.outerExpr))];
      const exists: Ast = {
        SubLink: {
          subLinkType: 'EXISTS_SUBLINK',
          subselect: { SelectStmt: { targetList: [{ ResTarget: { val: mkInt(1) } }], fromClause: clone(m.sub.fromClause), whereClause: andOf(innerWhere), limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } },
        },
      };
      const withExists = clone(select);
      withExists.whereClause = andOf(all.map((x) => (x === c ? exists : clone(x))));
      out.push({
        kind: 'candidate',
        rule: this.id,
        title: `IN (SELECT … FROM ${m.inner.name}) → EXISTS`,
        explanation: 'In a WHERE condition, NULL and false both drop the row, so IN and EXISTS keep the same rows; EXISTS states the semi-join directly and stops at the first match.',
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf({ SelectStmt: withExists }),
        preconditions: [statementFact('the IN is a top-level WHERE condition (NULL and false both filter the row)')],
      });

      // the join form: only when each outer row can match at most one inner row
      const innerCol = resolveColumn(m.innerExpr, [m.inner], facts);
      const innerTable = facts?.table(m.inner.schema, m.inner.name);
      const colName = columnRef(m.innerExpr)?.at(-1) ?? '';
      const uniqueFact = fact(facts, `${m.inner.name}.${colName} is unique (a NOT NULL primary key or unique constraint), so the join cannot repeat outer rows`, (f) =>
        innerTable !== undefined && innerCol !== null && coversUniqueKey(f, innerTable, new Set([colName])) !== null && f.uniqueKeys(innerTable).some((k) => k.length === 1 && k[0] === colName),
      );
      if (uniqueFact.holds === false) {
        out.push({ kind: 'rejected', rule: `${this.id}`, reason: `IN → JOIN not applied: ${m.inner.name}.${colName} is not unique, a join would repeat outer rows once per match (EXISTS is the safe form)`, preconditions: [uniqueFact] });
        continue;
      }
      const joined = clone(select);
      joined.targetList = joined.targetList.flatMap((t: Ast) =>
        isStar(t.ResTarget?.val) && t.ResTarget.val.ColumnRef.fields.length === 1 ? outerTables.map((ot: FromTable) => ({ ResTarget: { val: mkStarRef(ot.ref) } })) : [t],
      );
      const outerRef = columnRef(m.outerExpr)?.[0];
      let placed = false;
      joined.fromClause = joined.fromClause.map((item: Ast) => {
        if (placed || fromTable(item)?.ref !== outerRef) return item;
        placed = true;
        return { JoinExpr: { jointype: 'JOIN_INNER', larg: item, rarg: clone(m.sub.fromClause[0]), quals: andOf([mkOp('=', clone(m.innerExpr), clone(m.outerExpr)), ...conjuncts(m.sub.whereClause).map(clone)]) } };
      });
      if (!placed) continue;
      joined.whereClause = andOf(all.filter((x) => x !== c).map(clone));
      if (joined.whereClause === undefined) delete joined.whereClause;
      // the joined table brings new column names: outer unqualified references must stay unambiguous
      if (outerTables.length === 1) qualifyOwnColumns(joined, (outerTables[0] as FromTable).ref);
      out.push({
        kind: 'candidate',
        rule: this.id,
        title: `IN (SELECT ${colName} FROM ${m.inner.name}) → JOIN on a unique key`,
        explanation: `${m.inner.name}.${colName} is unique, so the semi-join is an inner join that the planner can reorder freely with the other tables.`,
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf({ SelectStmt: joined }),
        preconditions: [statementFact('the IN is a top-level WHERE condition'), uniqueFact],
      });
    }
    return out;
  },
});
