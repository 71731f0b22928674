import type { Column, Constraint, Index, Snapshot, Table } from '../model/index.ts';

/** What rules may rely on, read from a Snapshot: the catalog facts behind each precondition. */
export interface SchemaFacts {
  readonly serverVersionNum: number;
  table(schema: string | null, name: string): Table | undefined;
  column(table: Table, name: string): Column | undefined;
  /** sets of NOT NULL columns that are unique (primary key, unique constraint or full unique index) */
  uniqueKeys(table: Table): readonly (readonly string[])[];
  /** valid, non-partial indexes of the table */
  indexes(table: Table): readonly Index[];
  foreignKeys(table: Table): readonly Constraint[];
  /** the direct partitions of a partitioned table */
  partitions(table: Table): readonly Table[];
  hasExtension(name: string): boolean;
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

export function schemaFactsFromSnapshot(snapshot: Snapshot): SchemaFacts {
  const byName = new Map<string, Table[]>();
  for (const t of snapshot.tables) {
    const list = byName.get(t.name);
    if (list === undefined) byName.set(t.name, [t]);
    else list.push(t);
  }
  return {
    serverVersionNum: snapshot.server.versionNum,
    table(schema, name) {
      const candidates = byName.get(name) ?? [];
      if (schema !== null) return candidates.find((t) => t.schema === schema);
      // unqualified names resolve through search_path; public first, else the only table with that name
      return candidates.find((t) => t.schema === 'public') ?? (candidates.length === 1 ? candidates[0] : undefined);
    },
    column(table, name) {
      return table.columns.find((c) => c.name === name);
    },
    uniqueKeys(table) {
      const keys: string[][] = [];
      for (const i of snapshot.indexes) {
        if (i.table !== table.qualifiedName || !i.isUnique || !i.isValid || i.predicate !== null) continue;
        if (i.columns.some((c) => c.isExpression)) continue;
        const cols = i.columns.map((c) => unquote(c.name));
        // a unique index allows several NULLs: only NOT NULL columns make rows distinct
        if (cols.every((c) => table.columns.find((col) => col.name === c)?.notNull === true)) keys.push(cols);
      }
      return keys;
    },
    indexes(table) {
      return snapshot.indexes.filter((i) => i.table === table.qualifiedName && i.isValid && i.predicate === null);
    },
    foreignKeys(table) {
      return snapshot.constraints.filter((c) => c.type === 'foreign' && c.table === table.qualifiedName && c.validated);
    },
    partitions(table) {
      return snapshot.tables.filter((t) => t.isPartition && t.parent === table.qualifiedName);
    },
    hasExtension(name) {
      return snapshot.extensions.some((e) => e.name === name && e.installedVersion !== null);
    },
  };
}

/**
 * Leading key column names of btree indexes of a table (unquoted). A partitioned table counts a
 * column when every partition has such an index (pagila's payment: per-partition customer_id indexes).
 */
export function leadingIndexColumns(facts: SchemaFacts, table: Table): Set<string> {
  const out = new Set<string>();
  for (const i of facts.indexes(table)) {
    const first = i.columns[0];
    if (i.method === 'btree' && first !== undefined && !first.isExpression) out.add(unquote(first.name));
  }
  const parts = table.kind === 'partitioned' ? facts.partitions(table) : [];
  if (parts.length > 0) {
    const each = parts.map((p) => leadingIndexColumns(facts, p));
    for (const c of each[0] ?? []) if (each.every((s) => s.has(c))) out.add(c);
  }
  return out;
}

/** True when cols contain one of the table's unique keys. */
export function coversUniqueKey(facts: SchemaFacts, table: Table, cols: ReadonlySet<string>): readonly string[] | null {
  for (const key of facts.uniqueKeys(table)) if (key.every((c) => cols.has(c))) return key;
  return null;
}

export { unquote as unquoteIdent };
