import type { Ast, FromTable } from '../../ast.ts';
import { andOf, clone, columnRef, conjuncts, fromTable, isSimpleSelect, isStar, mkInt, mkOp, mkStarRef, plainFromTables, qualifyOwnColumns, sqlOf } from '../../ast.ts';
import { resolveColumn } from '../../resolve.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import type { RuleOutcome } from '../../rule.ts';
import { coversUniqueKey } from '../../schema-facts.ts';
import { matchInSubquery } from '../sublink.ts';

export const inSubqueryToExists = defineRule({
  id: 'in-subquery-to-exists',
  title: 'IN (subquery) → EXISTS, or → JOIN when the subquery column is unique',
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
