import type { Ast } from './ast.ts';
import { clone, replaceNodes, sqlOf, walk } from './ast.ts';

/**
 * Rewrites every base-table reference to TABLESAMPLE BERNOULLI (percent) REPEATABLE (seed): both
 * statements then read the same deterministic subset of each table, so comparing them on the
 * sample is a comparison on a smaller database. CTE names are left alone.
 */
export function sampledSql(stmt: Ast, percent: number, isTable: (schema: string | null, name: string) => boolean, seed = 7): string {
  const cteNames = new Set<string>();
  walk(stmt, (n) => {
    const name = n.CommonTableExpr?.ctename;
    if (typeof name === 'string') cteNames.add(name);
  });
  const copy = clone(stmt);
  const sample = (rv: Ast): Ast => ({
    RangeTableSample: {
      relation: { RangeVar: rv },
      method: [{ String: { sval: 'bernoulli' } }],
      args: [{ A_Const: { fval: { fval: String(percent) } } }],
      repeatable: { A_Const: { ival: { ival: seed } } },
    },
  });
  const visitFrom = (item: Ast): Ast => {
    if (item?.RangeVar !== undefined) {
      const rv = item.RangeVar;
      const schema = typeof rv.schemaname === 'string' ? rv.schemaname : null;
      if (schema === null && cteNames.has(rv.relname)) return item;
      return isTable(schema, rv.relname) ? sample(rv) : item;
    }
    if (item?.JoinExpr !== undefined) {
      item.JoinExpr.larg = visitFrom(item.JoinExpr.larg);
      item.JoinExpr.rarg = visitFrom(item.JoinExpr.rarg);
    }
    return item;
  };
  replaceNodes(copy, (n) => {
    if (Array.isArray(n?.fromClause)) n.fromClause = n.fromClause.map(visitFrom);
    return undefined;
  });
  return sqlOf(copy);
}
