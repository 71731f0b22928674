import type { Ast, FromTable } from '../../ast.ts';
import { andOf, clone, columnRef, conjuncts, constText, isSimpleSelect, maxParam, mkColumnRef, plainFromTables, replaceNodes, sqlOf, walk } from '../../ast.ts';
import { defineRule, fact } from '../../rule.ts';
import type { Precondition } from '../../rule.ts';

export const offsetToKeyset = defineRule({
  id: 'offset-to-keyset',
  title: 'OFFSET pagination → keyset pagination',
  description:
    'LIMIT n OFFSET m reads and throws away m rows on every page. When ORDER BY ends in a unique key, "the rows after the last one shown" — WHERE (sort keys) > (last values) — returns the same page from an index without the skipped rows.',
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    if (!isSimpleSelect(s) || s.limitOffset === undefined || s.limitCount === undefined || !Array.isArray(s.sortClause)) return [];
    // OFFSET $k (pg_stat_statements texts): the page position is a parameter, the rewrite no longer needs it
    const offsetParam: number | null = typeof s.limitOffset?.ParamRef?.number === 'number' ? s.limitOffset.ParamRef.number : null;
    const offset = offsetParam === null ? Number(constText(s.limitOffset)) : Number.NaN;
    if (offsetParam === null && (!Number.isInteger(offset) || offset <= 0)) return [];
    const originalParams = maxParam(stmt);
    if (s.distinctClause !== undefined || s.groupClause !== undefined) return [];
    const from = plainFromTables(s);
    if (from === null || from.length !== 1) return [{ kind: 'rejected', rule: this.id, reason: 'keyset pagination is generated for single-table statements only', preconditions: [] }];
    const t = from[0] as FromTable;
    const keys: { name: string; node: Ast; desc: boolean }[] = [];
    for (const item of s.sortClause) {
      const parts = columnRef(item.SortBy?.node);
      if (parts === null || parts.length > 2 || (parts.length === 2 && parts[0] !== t.ref)) {
        return [{ kind: 'rejected', rule: this.id, reason: 'ORDER BY has an expression: keyset needs plain columns', preconditions: [] }];
      }
      if (item.SortBy.sortby_nulls !== undefined && item.SortBy.sortby_nulls !== 'SORTBY_NULLS_DEFAULT') return [];
      keys.push({ name: parts[parts.length - 1] as string, node: mkColumnRef([t.ref, parts[parts.length - 1] as string]), desc: item.SortBy.sortby_dir === 'SORTBY_DESC' });
    }
    if (new Set(keys.map((k) => k.desc)).size > 1) {
      return [{ kind: 'rejected', rule: this.id, reason: 'ORDER BY mixes ASC and DESC: a row comparison cannot express the keyset condition', preconditions: [] }];
    }
    const table = facts?.table(t.schema, t.name);
    const names = keys.map((k) => k.name);
    const uniqueFact: Precondition = fact(facts, `ORDER BY (${names.join(', ')}) ends in a unique key of ${t.name}, so no two rows tie`, (f) =>
      table !== undefined && f.uniqueKeys(table).some((key) => key.every((c) => names.includes(c))),
    );
    const notNullFact: Precondition = fact(facts, `the sort columns ${names.join(', ')} are NOT NULL (NULLs would fall out of a row comparison)`, (f) =>
      table !== undefined && names.every((n) => f.column(table, n)?.notNull === true),
    );
    if (uniqueFact.holds === false) {
      return [{ kind: 'rejected', rule: this.id, reason: `ORDER BY ${names.join(', ')} is not unique in ${t.name}: rows that tie would be skipped or repeated across pages; add the primary key as the last sort column first`, preconditions: [uniqueFact] }];
    }
    const op = keys[0]?.desc === true ? '<' : '>';
    const kept = originalParams - (offsetParam === null ? 0 : 1);
    const params = keys.map((_, i) => ({ ParamRef: { number: kept + i + 1 } }));
    const cond =
      keys.length === 1
        ? { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: op } }], lexpr: clone(keys[0]?.node), rexpr: params[0] } }
        : {
            A_Expr: {
              kind: 'AEXPR_OP',
              name: [{ String: { sval: op } }],
              lexpr: { RowExpr: { args: keys.map((k) => clone(k.node)), row_format: 'COERCE_IMPLICIT_CAST' } },
              rexpr: { RowExpr: { args: params, row_format: 'COERCE_IMPLICIT_CAST' } },
            },
          };
    const rewritten = clone(s);
    delete rewritten.limitOffset;
    if (offsetParam !== null) {
      replaceNodes(rewritten, (n) => (typeof n?.ParamRef?.number === 'number' && n.ParamRef.number > offsetParam ? { ParamRef: { ...n.ParamRef, number: n.ParamRef.number - 1 } } : undefined));
    }
    rewritten.whereClause = andOf([...conjuncts(rewritten.whereClause).map(clone), cond]);
    const probe = clone(s);
    probe.targetList = keys.map((k) => ({ ResTarget: { val: clone(k.node) } }));
    probe.limitCount = { A_Const: { ival: { ival: 1 } } };
    probe.limitOffset =
      offsetParam !== null
        ? { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '-' } }], lexpr: { ParamRef: { number: offsetParam } }, rexpr: { A_Const: { ival: { ival: 1 } } } } }
        : offset === 1
          ? { A_Const: { ival: {} } }
          : { A_Const: { ival: { ival: offset - 1 } } };
    // the probe reads one row, so LIMIT $n is gone from it: number its parameters 1..m, remembering the original's
    const used = new Set<number>();
    walk(probe, (n) => {
      if (typeof n.ParamRef?.number === 'number') used.add(n.ParamRef.number);
    });
    const probeParams = [...used].sort((a, b) => a - b);
    replaceNodes(probe, (n) => (typeof n?.ParamRef?.number === 'number' ? { ParamRef: { ...n.ParamRef, number: probeParams.indexOf(n.ParamRef.number) + 1 } } : undefined));
    const at = offsetParam === null ? `OFFSET ${offset}` : `OFFSET $${offsetParam}`;
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `${at} → keyset on (${names.join(', ')})`,
        explanation: `${at} makes PostgreSQL produce and discard that many rows per page. The keyset form starts right after the last row of the previous page; ${params.map((p) => `$${p.ParamRef.number}`).join(', ')} are that row's ${names.join(', ')}.`,
        semantics: 'equivalent',
        severity: offsetParam === null && offset < 1000 ? 'info' : 'warning',
        ...(offsetParam === null ? {} : { dropParams: [offsetParam] }),
        ...(probeParams.length === originalParams ? {} : { probeParams }),
        after: sqlOf({ SelectStmt: rewritten }),
        probe: sqlOf({ SelectStmt: probe }),
        preconditions: [uniqueFact, notNullFact],
        codeHints: [`the application passes the last row's (${names.join(', ')}) instead of a page number; an index on (${names.join(', ')}) serves every page`],
      },
    ];
  },
});
