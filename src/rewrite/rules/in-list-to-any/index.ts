import type { Ast } from '../../ast.ts';
import { clone, constText, maxParam, plainFromTables, replaceNodes, sqlOf } from '../../ast.ts';
import { resolveColumn } from '../../resolve.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import type { Precondition } from '../../rule.ts';

/** array element type for a column type: no length modifiers (a char(2)[] cast would truncate), bpchar for char(n) */
function arrayElementType(columnType: string): string {
  const base = columnType.replace(/\(.*\)/, '').trim();
  return base === 'character' ? 'bpchar' : base === 'character varying' ? 'varchar' : base;
}

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
  apply({ stmt, options, facts }) {
    let next = maxParam(stmt) + 1;
    const from = plainFromTables(stmt.SelectStmt) ?? [];
    const typeFacts: Precondition[] = [];
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
      // the column's own type keeps the comparison (and its index) exactly as IN had it
      const col = resolveColumn(e.lexpr, from, facts);
      const colType = col?.catalog === undefined || facts === null ? undefined : facts.column(col.catalog, col.column)?.type;
      const type = colType === undefined ? elementType(items) : arrayElementType(colType);
      typeFacts.push(fact(facts, `the array parameter has the column's type (${colType ?? `${type}, inferred from the constants`})`, () => colType !== undefined));
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
        preconditions: [statementFact('x IN (a, b, …) is defined as x = ANY (ARRAY[a, b, …]), NULLs included'), ...typeFacts.map((p) => (p.holds === false ? { ...p, holds: null } : p))],
        codeHints: ['node-postgres: client.query(sql, [ids]); psycopg: cur.execute(sql, (ids,)); JDBC: conn.createArrayOf("bigint", ids)'],
      },
    ];
  },
});
