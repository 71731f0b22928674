import type { Ast, FromTable } from '../../ast.ts';
import { andOf, clone, columnRef, conjuncts, hasAggregateOrWindow, isConst, isSimpleSelect, plainFromTables, sqlOf, walk } from '../../ast.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import { leadingIndexColumns } from '../../schema-facts.ts';

/** The single column a simple predicate tests (col op const/param, col IN (...), col IS NULL). */
function predicateColumn(node: Ast, t: FromTable): string | null {
  const e = node?.A_Expr;
  const cols: string[][] = [];
  let other = false;
  walk(node, (n) => {
    const p = columnRef(n);
    if (p !== null) cols.push(p);
    if (n.SubLink !== undefined || n.FuncCall !== undefined) other = true;
  });
  if (other || cols.length !== 1) return null;
  const parts = cols[0] as string[];
  if (parts.length === 2 && parts[0] !== t.ref) return null;
  if (e === undefined && node?.NullTest === undefined) return null;
  if (e !== undefined && !(isConst(e.rexpr) || e.rexpr?.ParamRef !== undefined || e.rexpr?.List !== undefined || isConst(e.lexpr))) return null;
  return parts[parts.length - 1] ?? null;
}

export const orToUnionAll = defineRule({
  id: 'or-to-union-all',
  title: 'OR across different columns → UNION ALL of index scans',
  description:
    'WHERE a = 1 OR b = 2 on two differently indexed columns often ends in a sequential scan. One branch per condition, each excluding the rows an earlier branch already returned, lets each use its own index and keeps duplicates exactly as the original.',
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    if (!isSimpleSelect(s) || s.distinctClause !== undefined || s.sortClause !== undefined || s.limitCount !== undefined || s.limitOffset !== undefined || s.withClause !== undefined || hasAggregateOrWindow(s)) return [];
    const from = plainFromTables(s);
    if (from === null || from.length !== 1) return [];
    const t = from[0] as FromTable;
    const all = conjuncts(s.whereClause);
    const or = all.find((c) => c?.BoolExpr?.boolop === 'OR_EXPR');
    if (or === undefined) return [];
    const branches: Ast[] = or.BoolExpr.args;
    const cols = branches.map((b) => predicateColumn(b, t));
    if (cols.some((c) => c === null)) return [];
    if (new Set(cols).size < cols.length) {
      return [{ kind: 'rejected', rule: this.id, reason: 'the OR tests the same column more than once: one index scan (= ANY) already serves it', preconditions: [] }];
    }
    const table = facts?.table(t.schema, t.name);
    const indexFact = fact(facts, `every OR branch has an index: ${cols.map((c) => `${t.name}.${c}`).join(', ')} each lead a btree index`, (f) => {
      if (table === undefined) return false;
      const lead = leadingIndexColumns(f, table);
      return cols.every((c) => lead.has(c as string));
    });
    if (indexFact.holds === false) {
      return [{ kind: 'rejected', rule: this.id, reason: `not every OR branch can use an index (${cols.join(', ')}): a UNION ALL would scan the table more than once`, preconditions: [indexFact] }];
    }
    const rest = all.filter((c) => c !== or);
    const parts = branches.map((b, i) => {
      const branch = clone(s);
      // rows an earlier branch returned are excluded, NULL-safe, so no row appears twice
      const guards = branches.slice(0, i).map((prev) => ({ BooleanTest: { arg: clone(prev), booltesttype: 'IS_NOT_TRUE' } }));
      branch.whereClause = andOf([...rest.map(clone), clone(b), ...guards]);
      return { SelectStmt: branch };
    });
    let union: Ast = parts[0];
    for (const p of parts.slice(1)) union = { SelectStmt: { op: 'SETOP_UNION', all: true, larg: union.SelectStmt, rarg: p.SelectStmt, limitOption: 'LIMIT_OPTION_DEFAULT' } };
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `OR on ${cols.join(' / ')} → UNION ALL of ${cols.length} index scans`,
        explanation: 'Each branch reads only the rows its condition selects through that column\'s index; "IS NOT TRUE" guards drop rows an earlier branch returned, so a row matching several conditions still appears once (UNION would also drop genuine duplicate rows).',
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf(union),
        preconditions: [indexFact, statementFact('no DISTINCT, aggregate, ORDER BY or LIMIT above the OR')],
      },
    ];
  },
});
