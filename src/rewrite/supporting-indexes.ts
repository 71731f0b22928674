import { quoteIdent } from '../format/format.ts';
import type { Ast } from './ast.ts';
import { columnRef, opName, walk } from './ast.ts';
import type { SchemaFacts } from './schema-facts.ts';
import { leadingIndexColumns } from './schema-facts.ts';

export interface SupportingIndex {
  /** CREATE INDEX … (no name, no CONCURRENTLY): what the what-if engine or a rolled-back build takes */
  readonly definition: string;
  readonly table: string;
  readonly rowEstimate: number;
  /** why this index helps the original */
  readonly reason: string;
}

function sublinkTables(select: Ast): { schema: string | null; name: string; ref: string }[] {
  const out: { schema: string | null; name: string; ref: string }[] = [];
  for (const item of select?.fromClause ?? []) {
    const rv = item?.RangeVar;
    if (rv !== undefined && typeof rv.relname === 'string') out.push({ schema: rv.schemaname ?? null, name: rv.relname, ref: rv.alias?.aliasname ?? rv.relname });
  }
  return out;
}

/**
 * The indexes an index advisor would give the original first: on the columns a subquery is
 * correlated by (inner.col = outer.col) when no btree index starts with that column. A rewrite
 * must stay faster once they exist, or the report would recommend two fixes that undo each other.
 */
export function supportingIndexes(original: Ast, facts: SchemaFacts | null): SupportingIndex[] {
  if (facts === null) return [];
  const out = new Map<string, SupportingIndex>();
  walk(original, (n) => {
    const sub = n.SubLink?.subselect?.SelectStmt;
    if (sub === undefined) return undefined;
    const inner = sublinkTables(sub);
    if (inner.length !== 1) return undefined;
    const t = inner[0] as { schema: string | null; name: string; ref: string };
    const table = facts.table(t.schema, t.name);
    if (table === undefined) return undefined;
    const indexed = leadingIndexColumns(facts, table);
    walk(sub.whereClause, (w) => {
      if (w.SubLink !== undefined) return false;
      if (opName(w) !== '=') return undefined;
      const l = columnRef(w.A_Expr.lexpr);
      const r = columnRef(w.A_Expr.rexpr);
      if (l === null || r === null) return undefined;
      const innerSide = [l, r].find((c) => (c.length === 1 ? facts.column(table, c[0] ?? '') !== undefined : c[c.length - 2] === t.ref));
      const outerSide = innerSide === l ? r : l;
      if (innerSide === undefined || (outerSide.length >= 2 && outerSide[outerSide.length - 2] === t.ref)) return undefined;
      if (outerSide.length === 1) return undefined;
      const column = innerSide[innerSide.length - 1] as string;
      if (indexed.has(column) || facts.column(table, column) === undefined) return undefined;
      const definition = `CREATE INDEX ON ${quoteIdent(table.schema)}.${quoteIdent(table.name)} (${quoteIdent(column)})`;
      out.set(definition, { definition, table: table.qualifiedName, rowEstimate: table.rowEstimate, reason: `the subquery on ${table.name} is correlated by ${column}` });
      return undefined;
    });
    return undefined;
  });
  return [...out.values()];
}
