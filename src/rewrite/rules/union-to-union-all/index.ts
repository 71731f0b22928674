import type { Ast, FromTable } from '../../ast.ts';
import { clone, columnRef, conjuncts, constText, isStar, opName, plainFromTables, sqlOf } from '../../ast.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import { coversUniqueKey } from '../../schema-facts.ts';

const PLAIN_EQUALITY_TYPES: ReadonlySet<string> = new Set(['integer', 'bigint', 'smallint', 'numeric', 'text', 'character varying', 'uuid', 'date', 'boolean', 'timestamp with time zone', 'timestamp without time zone']);

interface Branch {
  readonly t: FromTable;
  readonly select: Ast;
  /** column → constant it is required to equal */
  readonly equalities: Map<string, string>;
  readonly outputCols: Set<string> | 'star';
}

function branch(select: Ast): Branch | null {
  if (select === undefined || (select.op !== undefined && select.op !== 'SETOP_NONE')) return null;
  if (select.groupClause !== undefined || select.distinctClause !== undefined || select.limitCount !== undefined) return null;
  const from = plainFromTables(select);
  if (from === null || from.length !== 1) return null;
  const t = from[0] as FromTable;
  const equalities = new Map<string, string>();
  for (const c of conjuncts(select.whereClause)) {
    if (opName(c) !== '=') continue;
    const col = columnRef(c.A_Expr.lexpr);
    const v = constText(c.A_Expr.rexpr);
    if (col !== null && typeof v === 'string' && (col.length === 1 || col[0] === t.ref)) equalities.set(col[col.length - 1] as string, v);
  }
  let outputCols: Set<string> | 'star' = new Set<string>();
  for (const target of select.targetList ?? []) {
    const v = target.ResTarget?.val;
    if (isStar(v)) outputCols = 'star';
    const parts = columnRef(v);
    if (parts !== null && outputCols !== 'star') outputCols.add(parts[parts.length - 1] as string);
  }
  return { t, select, equalities, outputCols };
}

export const unionToUnionAll = defineRule({
  id: 'union-to-union-all',
  title: 'UNION → UNION ALL when the branches are provably disjoint',
  description:
    'UNION sorts or hashes the combined rows to remove duplicates. When the branches require different constant values of the same column, no row can be in both, and when each branch returns a unique key no branch repeats a row: then UNION ALL returns the same rows without the deduplication.',
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    if (s?.op !== 'SETOP_UNION' || s.all === true || s.sortClause !== undefined || s.limitCount !== undefined) return [];
    const a = branch(s.larg);
    const b = branch(s.rarg);
    if (a === null || b === null) return [];
    if (a.t.name !== b.t.name || a.t.schema !== b.t.schema) return [{ kind: 'rejected', rule: this.id, reason: 'the branches read different tables: disjointness cannot be shown from the conditions', preconditions: [] }];
    const differ = (x: string, y: string): boolean => (Number.isFinite(Number(x)) && Number.isFinite(Number(y)) && x.trim() !== '' && y.trim() !== '' ? Number(x) !== Number(y) : x !== y);
    const disjointOn = [...a.equalities].find(([col, v]) => b.equalities.has(col) && differ(b.equalities.get(col) as string, v));
    if (disjointOn === undefined) return [{ kind: 'rejected', rule: this.id, reason: 'no column is required to equal different constants in the two branches: a row could be in both', preconditions: [] }];
    const table = facts?.table(a.t.schema, a.t.name);
    // different literals are different values only under plain equality: not for char(n) padding, citext or case-insensitive collations
    const typeFact = fact(facts, `${a.t.name}.${disjointOn[0]} has a type where different literals are different values (${table === undefined || facts === null ? '?' : (facts.column(table, disjointOn[0])?.type ?? '?')})`, (f) => {
      const type = table === undefined ? undefined : f.column(table, disjointOn[0])?.type.replace(/\(.*\)/, '');
      return type !== undefined && PLAIN_EQUALITY_TYPES.has(type);
    });
    if (typeFact.holds === false) return [{ kind: 'rejected', rule: this.id, reason: typeFact.fact.replace('has a type where', 'does not have a type where'), preconditions: [typeFact] }];
    const keyFact = fact(facts, `each branch returns a unique key of ${a.t.name}, so neither branch repeats a row`, (f) =>
      table !== undefined && [a, b].every((x) => (x.outputCols === 'star' ? f.uniqueKeys(table).length > 0 : coversUniqueKey(f, table, x.outputCols) !== null)),
    );
    if (keyFact.holds === false) {
      return [{ kind: 'rejected', rule: this.id, reason: `a branch does not return a unique key of ${a.t.name}: UNION also removes duplicates inside a branch, UNION ALL would keep them`, preconditions: [keyFact] }];
    }
    const rewritten = clone(s);
    rewritten.all = true;
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `UNION of disjoint branches (${disjointOn[0]} = ${a.equalities.get(disjointOn[0])} / ${b.equalities.get(disjointOn[0])}) → UNION ALL`,
        explanation: 'No row satisfies both branches and neither branch repeats a row, so the duplicate-removal step of UNION has nothing to remove.',
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf({ SelectStmt: rewritten }),
        preconditions: [statementFact(`the branches require ${disjointOn[0]} = ${a.equalities.get(disjointOn[0])} and ${disjointOn[0]} = ${b.equalities.get(disjointOn[0])}: disjoint`), typeFact, keyFact],
      },
    ];
  },
});
