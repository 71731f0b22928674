import type { Table } from '../model/index.ts';
import type { Ast, FromTable } from './ast.ts';
import { columnRef } from './ast.ts';
import type { SchemaFacts } from './schema-facts.ts';

/** A column reference tied to the FROM item it belongs to. */
export interface ResolvedColumn {
  readonly table: FromTable;
  readonly column: string;
  /** catalog entry when facts are known */
  readonly catalog: Table | undefined;
}

export function catalogTable(facts: SchemaFacts | null, t: FromTable): Table | undefined {
  return facts?.table(t.schema, t.name);
}

/**
 * Which FROM item a column reference belongs to: by qualifier, else the only item, else the
 * only item whose catalog table has the column. null when it cannot be told.
 */
export function resolveColumn(node: Ast, tables: readonly FromTable[], facts: SchemaFacts | null): ResolvedColumn | null {
  const parts = columnRef(node);
  if (parts === null || parts.length === 0 || parts.length > 2) return null;
  const column = parts[parts.length - 1] ?? '';
  if (parts.length === 2) {
    const t = tables.find((x) => x.ref === parts[0]);
    return t === undefined ? null : { table: t, column, catalog: catalogTable(facts, t) };
  }
  if (tables.length === 1) {
    const t = tables[0] as FromTable;
    return { table: t, column, catalog: catalogTable(facts, t) };
  }
  if (facts === null) return null;
  const owners = tables.filter((t) => catalogTable(facts, t)?.columns.some((c) => c.name === column) === true);
  const owner = owners[0];
  return owners.length === 1 && owner !== undefined ? { table: owner, column, catalog: catalogTable(facts, owner) } : null;
}

/** NOT NULL per the catalog: true/false, null when unknown. */
export function notNull(facts: SchemaFacts | null, col: ResolvedColumn): boolean | null {
  if (facts === null || col.catalog === undefined) return null;
  const c = facts.column(col.catalog, col.column);
  return c === undefined ? null : c.notNull;
}

export function displayColumn(col: ResolvedColumn): string {
  return `${col.table.name}.${col.column}`;
}
