import type { Ast, FromTable } from '../../ast.ts';
import { clone, columnRef, conjuncts, andOf, fromTable, funcName, isSimpleSelect, isStar, mkColumnRef, mkOp, mkStarRef, opName, plainFromTables, qualifyOwnColumns, refsTo, replaceNodes, sqlOf } from '../../ast.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import type { Precondition, RuleOutcome } from '../../rule.ts';
import type { SchemaFacts } from '../../schema-facts.ts';

const COMPARISONS = new Set(['<', '>', '<=', '>=', '=', '<>']);
/** aggregates that return NULL on an empty group: a missing group and a NULL aggregate both fail a comparison */
const NULL_ON_EMPTY = new Set(['avg', 'sum', 'min', 'max']);

interface Match {
  readonly conjunct: Ast;
  readonly sublinkSide: 'lexpr' | 'rexpr';
  readonly inner: FromTable;
  readonly innerSelect: Ast;
  readonly innerKey: Ast;
  readonly outerKey: Ast;
  readonly outer: FromTable;
  readonly rest: Ast[];
  readonly agg: string;
}

type AggSubquery = Omit<Match, 'conjunct' | 'sublinkSide'>;

function matchConjunct(c: Ast, outerTables: readonly FromTable[]): Match | string | null {
  const op = opName(c);
  if (op === null || !COMPARISONS.has(op)) return null;
  const e = c.A_Expr;
  const side: 'lexpr' | 'rexpr' | null = e.rexpr?.SubLink?.subLinkType === 'EXPR_SUBLINK' ? 'rexpr' : e.lexpr?.SubLink?.subLinkType === 'EXPR_SUBLINK' ? 'lexpr' : null;
  if (side === null) return null;
  const m = matchAggSubquery(e[side].SubLink.subselect?.SelectStmt, outerTables, false);
  return m === null || typeof m === 'string' ? m : { conjunct: c, sublinkSide: side, ...m };
}

/** (SELECT agg(x) FROM t WHERE t.k = outer.k [AND …]): one table, one aggregate, one correlation equality. */
function matchAggSubquery(sub: Ast, outerTables: readonly FromTable[], allowCount: boolean): AggSubquery | string | null {
  if (!isSimpleSelect(sub) || sub.groupClause !== undefined || sub.havingClause !== undefined || sub.limitCount !== undefined || sub.distinctClause !== undefined || sub.withClause !== undefined) return null;
  const from = plainFromTables(sub);
  if (from === null || from.length !== 1) return null;
  const inner = from[0] as FromTable;
  const targets = sub.targetList ?? [];
  const val = targets[0]?.ResTarget?.val;
  const agg = funcName(val);
  if (targets.length !== 1 || agg === null || val.FuncCall.over !== undefined) return null;
  if (!NULL_ON_EMPTY.has(agg) && !(allowCount && agg === 'count')) return agg === 'count' ? `${agg}() returns 0, not NULL, for a group with no rows: a join would drop outer rows the subquery keeps` : null;
  const outerRefs = new Set(outerTables.map((t) => t.ref).filter((r) => r !== inner.ref));
  if (refsTo(val, outerRefs).length > 0) return 'the aggregate argument refers to the outer query';
  let key: { innerKey: Ast; outerKey: Ast; outer: FromTable } | null = null;
  const rest: Ast[] = [];
  for (const w of conjuncts(sub.whereClause)) {
    if (refsTo(w, outerRefs).length === 0) {
      rest.push(w);
      continue;
    }
    if (key !== null || opName(w) !== '=') return 'the subquery is correlated by more than one equality';
    const l = columnRef(w.A_Expr.lexpr);
    const r = columnRef(w.A_Expr.rexpr);
    if (l === null || r === null) return 'the correlation is not a column = column equality';
    const lOuter = l.length === 2 && outerRefs.has(l[0] ?? '');
    const rOuter = r.length === 2 && outerRefs.has(r[0] ?? '');
    if (lOuter === rOuter) return 'the correlation is not between an inner and an outer column';
    const outerParts = lOuter ? l : r;
    const innerNode = lOuter ? w.A_Expr.rexpr : w.A_Expr.lexpr;
    const innerParts = lOuter ? r : l;
    if (innerParts.length === 2 && innerParts[0] !== inner.ref) return 'the correlation does not use the inner table';
    const outer = outerTables.find((t) => t.ref === outerParts[0]);
    if (outer === undefined) return null;
    key = { innerKey: innerNode, outerKey: lOuter ? w.A_Expr.lexpr : w.A_Expr.rexpr, outer };
  }
  if (key === null) return null;
  return { inner, innerSelect: sub, rest, agg, ...key };
}

/**
 * Scalar aggregate subqueries in the select list (the feed's comment and like counts): one LEFT JOIN
 * to a grouped derived table each. A missing group gives NULL through the LEFT JOIN, as the subquery
 * does for avg/sum/min/max; count gets COALESCE(…, 0), as count over no rows is 0.
 */
function selectListForm(select: Ast, outerTables: readonly FromTable[]): RuleOutcome[] {
  if (outerTables.length !== 1) return [];
  const outerTable = outerTables[0] as FromTable;
  const matches: { index: number; m: AggSubquery; name: string }[] = [];
  const rejected: RuleOutcome[] = [];
  (select.targetList ?? []).forEach((t: Ast, index: number) => {
    const link = t.ResTarget?.val?.SubLink;
    if (link?.subLinkType !== 'EXPR_SUBLINK') return;
    const m = matchAggSubquery(link.subselect?.SelectStmt, outerTables, true);
    if (m === null) return;
    if (typeof m === 'string') {
      rejected.push({ kind: 'rejected', rule: 'correlated-subquery-aggregate', reason: `select-list subquery: ${m}`, preconditions: [] });
      return;
    }
    const innerName = m.innerSelect.targetList[0].ResTarget.name;
    matches.push({ index, m, name: t.ResTarget.name ?? innerName ?? m.agg });
  });
  if (matches.length === 0) return rejected;
  const rewritten = clone(select);
  qualifyOwnColumns(rewritten, outerTable.ref);
  rewritten.targetList = rewritten.targetList.flatMap((t: Ast) => (isStar(t.ResTarget?.val) && t.ResTarget.val.ColumnRef.fields.length === 1 ? [{ ResTarget: { val: mkStarRef(outerTable.ref) } }] : [t]));
  let from: Ast = rewritten.fromClause[0];
  const used = new Set([outerTable.ref]);
  for (const { index, m, name } of matches) {
    let alias = `${m.inner.name}_${m.agg}`;
    for (let i = 2; used.has(alias); i++) alias = `${m.inner.name}_${m.agg}${i}`;
    used.add(alias);
    const keyName = columnRef(m.innerKey)?.at(-1) ?? 'key';
    const derived: Ast = {
      SelectStmt: {
        targetList: [{ ResTarget: { val: clone(m.innerKey) } }, { ResTarget: { name: 'value', val: clone(m.innerSelect.targetList[0].ResTarget.val) } }],
        fromClause: clone(m.innerSelect.fromClause),
        ...(m.rest.length > 0 ? { whereClause: andOf(clone(m.rest)) } : {}),
        groupClause: [clone(m.innerKey)],
        limitOption: 'LIMIT_OPTION_DEFAULT',
        op: 'SETOP_NONE',
      },
    };
    from = { JoinExpr: { jointype: 'JOIN_LEFT', larg: from, rarg: { RangeSubselect: { subquery: derived, alias: { aliasname: alias } } }, quals: mkOp('=', mkColumnRef([alias, keyName]), clone(m.outerKey)) } };
    const value = mkColumnRef([alias, 'value']);
    const target = rewritten.targetList.findIndex((t: Ast) => JSON.stringify(t) === JSON.stringify(select.targetList[index]));
    const replacement = { ResTarget: { name, val: m.agg === 'count' ? { CoalesceExpr: { args: [value, { A_Const: { ival: {} } }] } } : value } };
    if (target >= 0) rewritten.targetList[target] = replacement;
  }
  rewritten.fromClause = [from];
  const counts = matches.filter((x) => x.m.agg === 'count').length;
  return [
    ...rejected,
    {
      kind: 'candidate',
      rule: 'correlated-subquery-aggregate',
      title: `${matches.length} per-row aggregate subquer${matches.length === 1 ? 'y' : 'ies'} in the select list → LEFT JOIN grouped ${matches.map((x) => x.m.inner.name).join(', ')}`,
      explanation: `Each select-list subquery (${matches.map((x) => x.name).join(', ')}) runs once per returned row. Grouping each table once and LEFT JOINing it computes all of them in one pass; rows without a group keep NULL${counts > 0 ? ', and counts keep 0 through COALESCE' : ''}.`,
      semantics: 'equivalent',
      severity: 'warning',
      after: sqlOf({ SelectStmt: rewritten }),
      preconditions: [
        statementFact('each derived table has one row per key (GROUP BY), so the LEFT JOIN neither drops nor repeats outer rows'),
        statementFact('a missing group reads as NULL (avg/sum/min/max) or 0 (count, via COALESCE), exactly as the subquery returns over no rows'),
      ],
    },
  ];
}

/**
 * The window-function form: when the subquery aggregates the outer table itself, grouped by the
 * same column, with no other condition, every outer row's value is avg(x) OVER (PARTITION BY k).
 * Needs the catalog: the output columns are listed (so the window column stays hidden) and the key
 * must be NOT NULL (PARTITION BY groups NULL keys, the subquery's "k = NULL" matches nothing).
 */
function windowForm(select: Ast, m: Match, outerTables: readonly FromTable[], facts: SchemaFacts | null): RuleOutcome | null {
  if (facts === null || outerTables.length !== 1 || m.rest.length > 0) return null;
  if (m.inner.name !== m.outer.name || m.inner.schema !== m.outer.schema) return null;
  const innerKey = columnRef(m.innerKey)?.at(-1);
  const outerKey = columnRef(m.outerKey)?.at(-1);
  if (innerKey === undefined || innerKey !== outerKey) return null;
  const table = facts.table(m.outer.schema, m.outer.name);
  if (table === undefined) return null;
  const notNull = fact(facts, `${m.outer.name}.${innerKey} is NOT NULL (PARTITION BY would group NULL keys the subquery never matches)`, (f) => f.column(table, innerKey)?.notNull === true);
  if (notNull.holds !== true) return null;
  const ref = m.outer.ref;
  const aggCall = clone(m.innerSelect.targetList[0].ResTarget.val);
  // the aggregate's columns now come from the outer row itself
  const unqualified = replaceNodes(aggCall, (n) => {
    const parts = columnRef(n);
    return parts !== null ? mkColumnRef([parts[parts.length - 1] as string]) : undefined;
  });
  unqualified.FuncCall.over = { partitionClause: [mkColumnRef([innerKey])], frameOptions: 1058 };
  const winName = `${m.agg}_${columnRef(aggCall.FuncCall.args?.[0])?.at(-1) ?? 'value'}_over_${innerKey}`;
  const inner: Ast = {
    SelectStmt: {
      targetList: [{ ResTarget: { val: mkStarRef(ref) } }, { ResTarget: { name: winName, val: unqualified } }],
      fromClause: [clone(m.outer.node)],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    },
  };
  const rewritten = clone(select);
  qualifyOwnColumns(rewritten, ref);
  const cols = table.columns.map((c) => ({ ResTarget: { val: mkColumnRef([ref, c.name]) } }));
  rewritten.targetList = rewritten.targetList.flatMap((t: Ast) => {
    const v = t.ResTarget?.val;
    const f = v?.ColumnRef?.fields;
    const star = isStar(v) && (f.length === 1 || (f.length === 2 && f[0]?.String?.sval === ref));
    return star ? cols : [t];
  });
  rewritten.fromClause = [{ RangeSubselect: { subquery: inner, alias: { aliasname: ref } } }];
  const qualifiedConjunct = clone({ whereClause: clone(m.conjunct) });
  qualifyOwnColumns(qualifiedConjunct, ref);
  const target = JSON.stringify(qualifiedConjunct.whereClause);
  rewritten.whereClause = replaceNodes(rewritten.whereClause, (n) => {
    if (JSON.stringify(n) !== target) return undefined;
    const copy = clone(n);
    copy.A_Expr[m.sublinkSide] = mkColumnRef([ref, winName]);
    return copy;
  });
  return {
    kind: 'candidate',
    rule: 'correlated-subquery-aggregate',
    title: `${m.agg}() subquery on ${m.outer.name} re-run per row → window function over ${innerKey}`,
    explanation: `The subquery aggregates ${m.outer.name} itself by ${innerKey}, so ${m.agg}(…) OVER (PARTITION BY ${innerKey}) gives every row its group's value in one sorted pass, without a second scan of the table; filters on ${innerKey} are still pushed below the window.`,
    semantics: 'equivalent',
    severity: 'warning',
    after: sqlOf({ SelectStmt: rewritten }),
    preconditions: [
      statementFact(`the subquery reads ${m.outer.name} itself, correlated only by ${innerKey} = ${ref}.${innerKey}`),
      notNull,
      statementFact('the comparison is a top-level WHERE condition of the outer query, applied after the window'),
    ],
  };
}

export const correlatedSubqueryAggregate = defineRule({
  id: 'correlated-subquery-aggregate',
  title: 'Correlated aggregate subquery → join with a grouped derived table',
  description:
    'A scalar subquery such as (SELECT avg(x) FROM t WHERE t.k = outer.k) is re-run for every outer row. Grouping t by k once and joining on k computes every aggregate in one pass.',
  apply({ stmt, facts }) {
    const select = stmt.SelectStmt;
    if (!isSimpleSelect(select)) return [];
    const outerTables = plainFromTables(select);
    if (outerTables === null) return [];
    const out: RuleOutcome[] = [...selectListForm(select, outerTables)];
    for (const c of conjuncts(select.whereClause)) {
      const m = matchConjunct(c, outerTables);
      if (m === null) continue;
      if (typeof m === 'string') {
        out.push({ kind: 'rejected', rule: this.id, reason: m, preconditions: [] });
        continue;
      }
      const used = new Set(outerTables.map((t) => t.ref));
      let alias = `${m.inner.name}_${m.agg}`;
      for (let i = 2; used.has(alias); i++) alias = `${m.inner.name}_${m.agg}${i}`;
      const keyName = columnRef(m.innerKey)?.at(-1) ?? 'key';
      const aggName = `${m.agg}_${columnRef(m.innerSelect.targetList[0].ResTarget.val.FuncCall.args?.[0])?.at(-1) ?? 'value'}`;
      const derived: Ast = {
        SelectStmt: {
          targetList: [
            { ResTarget: { val: clone(m.innerKey) } },
            { ResTarget: { name: aggName, val: clone(m.innerSelect.targetList[0].ResTarget.val) } },
          ],
          fromClause: clone(m.innerSelect.fromClause),
          ...(m.rest.length > 0 ? { whereClause: andOf(clone(m.rest)) } : {}),
          groupClause: [clone(m.innerKey)],
          limitOption: 'LIMIT_OPTION_DEFAULT',
          op: 'SETOP_NONE',
        },
      };
      const rewritten = clone(select);
      // stars expand to the original FROM items only, never to the derived table's columns
      rewritten.targetList = rewritten.targetList.flatMap((t: Ast) =>
        isStar(t.ResTarget?.val) && (columnRef(t.ResTarget.val) ?? []).length === 0 && t.ResTarget.val.ColumnRef.fields.length === 1
          ? outerTables.map((ot) => ({ ResTarget: { val: mkStarRef(ot.ref) } }))
          : [t],
      );
      // the derived table brings new column names: outer unqualified references must stay unambiguous
      if (outerTables.length === 1) qualifyOwnColumns(rewritten, m.outer.ref);
      const joinQual = mkOp('=', mkColumnRef([alias, keyName]), clone(m.outerKey));
      rewritten.fromClause = rewritten.fromClause.map((item: Ast) =>
        fromTable(item)?.ref === m.outer.ref
          ? { JoinExpr: { jointype: 'JOIN_INNER', larg: item, rarg: { RangeSubselect: { subquery: derived, alias: { aliasname: alias } } }, quals: joinQual } }
          : item,
      );
      const qualifiedConjunct = clone({ SelectStmt: { whereClause: clone(m.conjunct) } }).SelectStmt;
      if (outerTables.length === 1) qualifyOwnColumns(qualifiedConjunct, m.outer.ref);
      const target = JSON.stringify(qualifiedConjunct.whereClause);
      rewritten.whereClause = replaceNodes(rewritten.whereClause, (n) => {
        if (JSON.stringify(n) !== target) return undefined;
        const copy = clone(n);
        copy.A_Expr[m.sublinkSide] = mkColumnRef([alias, aggName]);
        return copy;
      });
      // nothing here depends on the catalog: a system catalog, a view or a table outside the snapshot is rewritten alike
      const preconditions: Precondition[] = [
        statementFact(`${m.agg}() is NULL on an empty group and the comparison is a top-level WHERE condition, so outer rows without a group are filtered either way`),
        statementFact(`the derived table has one row per ${keyName} (GROUP BY), so the join cannot duplicate outer rows`),
      ];
      out.push({
        kind: 'candidate',
        rule: this.id,
        title: `${m.agg}() subquery on ${m.inner.name} re-run per row → one grouped pass joined on ${keyName}`,
        explanation: `The subquery ${sqlOf(m.conjunct.A_Expr[m.sublinkSide])} runs once per outer row (a SubPlan). Grouping ${m.inner.name} by ${keyName} once and joining the result computes every ${m.agg}() in a single pass.`,
        semantics: 'equivalent',
        severity: 'warning',
        after: sqlOf({ SelectStmt: rewritten }),
        preconditions,
      });
      const windowed = windowForm(select, m, outerTables, facts);
      if (windowed !== null) out.push(windowed);
    }
    return out;
  },
});
