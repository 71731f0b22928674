import type { Ast } from '../../ast.ts';
import { clone, constText, maxParam, replaceNodes, sqlOf } from '../../ast.ts';
import { defineRule, statementFact } from '../../rule.ts';

function arrayLiteral(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

/** element type of the array parameter, from the constants themselves */
function elementType(values: readonly Ast[]): string {
  if (values.every((v) => v?.A_Const?.ival !== undefined)) return 'bigint';
  if (values.every((v) => v?.A_Const?.ival !== undefined || v?.A_Const?.fval !== undefined)) return 'numeric';
  return 'text';
}

export const inListToAny = defineRule({
  id: 'in-list-to-any',
  title: 'Huge IN (…) list → = ANY($n) with one array parameter',
  description:
    'A statement with IN (1, 2, …, 5000) is parsed and planned again for every list length and floods pg_stat_statements with near-duplicates. = ANY($1) with one array parameter is one prepared statement for every list.',
  apply({ stmt, options }) {
    let next = maxParam(stmt) + 1;
    const params: string[] = [];
    let longest = 0;
    const rewritten = replaceNodes(clone(stmt), (n) => {
      const e = n?.A_Expr;
      if (e?.kind !== 'AEXPR_IN' || !Array.isArray(e.rexpr?.List?.items)) return undefined;
      const items: Ast[] = e.rexpr.List.items;
      if (items.length < options.inListThreshold || !items.every((i) => i?.A_Const !== undefined)) return undefined;
      const values = items.map((i) => constText(i) ?? null);
      if (values.some((v) => v === null)) return undefined;
      const op = e.name?.[0]?.String?.sval === '<>' ? '<>' : '=';
      longest = Math.max(longest, items.length);
      params.push(arrayLiteral(values));
      const type = elementType(items);
      return {
        A_Expr: {
          kind: op === '=' ? 'AEXPR_OP_ANY' : 'AEXPR_OP_ALL',
          name: [{ String: { sval: op } }],
          lexpr: e.lexpr,
          rexpr: { TypeCast: { arg: { ParamRef: { number: next++ } }, typeName: { names: [{ String: { sval: type } }], typemod: -1, arrayBounds: [{ Integer: { ival: -1 } }] } } },
        },
      };
    });
    if (params.length === 0) return [];
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `IN list of ${longest} constants → = ANY($${next - params.length}) array parameter`,
        explanation: 'PostgreSQL plans IN (…) and = ANY(array) the same way; the gain is one statement text for every list length: parsed and planned once when prepared, one pg_stat_statements entry, no huge query strings. The application passes the list as an array.',
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf(rewritten),
        afterParams: params,
        preconditions: [statementFact('x IN (a, b, …) is defined as x = ANY (ARRAY[a, b, …]), NULLs included')],
        codeHints: ['node-postgres: client.query(sql, [ids]); psycopg: cur.execute(sql, (ids,)); JDBC: conn.createArrayOf("bigint", ids)'],
      },
    ];
  },
});
