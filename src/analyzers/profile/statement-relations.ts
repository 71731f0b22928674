import type { Snapshot, Table, WorkloadStatement } from '../../model/index.ts';
import { tryParseSql } from '../../sql/index.ts';

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

/** What a statement touches, read from its parse tree (the real PostgreSQL grammar). */
export interface StatementShape {
  readonly kind: StatementKind;
  /** relations as written (schema.name or name) */
  readonly relations: readonly string[];
  /** column names referenced in WHERE clauses (unqualified) */
  readonly filterColumns: readonly string[];
}

const KIND: Readonly<Record<string, StatementKind>> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
};

function walk(node: unknown, visit: (key: string, value: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) visit(key, value as Record<string, unknown>);
    walk(value, visit);
  }
}

const shapeCache = new Map<string, StatementShape | null>();

/** Relations and filter columns of a statement; null when the text does not parse. Needs initSqlParser(). */
export function statementShape(text: string): StatementShape | null {
  const cached = shapeCache.get(text);
  if (cached !== undefined) return cached;
  const parsed = tryParseSql(text);
  let shape: StatementShape | null = null;
  if (parsed.ok) {
    const first = parsed.result.stmts?.[0]?.stmt as Record<string, unknown> | undefined;
    const kind = KIND[Object.keys(first ?? {})[0] ?? ''] ?? 'other';
    const relations = new Set<string>();
    const columns = new Set<string>();
    walk(parsed.result, (key, value) => {
      // FROM items are wrapped ({RangeVar: …}); INSERT/UPDATE/DELETE targets are bare RangeVars under `relation`
      if ((key === 'RangeVar' || key === 'relation') && typeof value.relname === 'string') {
        relations.add(typeof value.schemaname === 'string' ? `${value.schemaname}.${value.relname}` : value.relname);
      }
      if (key === 'whereClause') {
        walk({ w: value }, (k, v) => {
          if (k !== 'ColumnRef' || !Array.isArray(v.fields)) return;
          const last = (v.fields as { String?: { sval?: string } }[]).at(-1)?.String?.sval;
          if (last !== undefined) columns.add(last);
        });
      }
    });
    shape = { kind, relations: [...relations], filterColumns: [...columns] };
  }
  if (shapeCache.size > 10_000) shapeCache.clear();
  shapeCache.set(text, shape);
  return shape;
}

const byName = new WeakMap<Snapshot, Map<string, Table[]>>();

/** Resolves a relation name as written in a statement to a table of the snapshot (search_path: public first). */
export function resolveTable(snapshot: Snapshot, relation: string): Table | undefined {
  let map = byName.get(snapshot);
  if (map === undefined) {
    map = new Map();
    for (const t of snapshot.tables) {
      for (const key of [t.name, `${t.schema}.${t.name}`]) {
        const list = map.get(key);
        if (list === undefined) map.set(key, [t]);
        else list.push(t);
      }
    }
    byName.set(snapshot, map);
  }
  const candidates = map.get(relation) ?? [];
  return relation.includes('.') ? candidates[0] : (candidates.find((t) => t.schema === 'public') ?? candidates[0]);
}

/** Tables of the snapshot that a statement reads or writes. */
export function statementTables(snapshot: Snapshot | null, statement: WorkloadStatement): Table[] {
  const shape = statementShape(statement.text);
  if (shape === null || snapshot === null) return [];
  const out: Table[] = [];
  for (const r of shape.relations) {
    const t = resolveTable(snapshot, r);
    if (t !== undefined && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Bare table names as written in the statement (for workloads without a snapshot). */
export function statementRelationNames(statement: WorkloadStatement): readonly string[] {
  return statementShape(statement.text)?.relations ?? [];
}

/** Short one-line form of a statement for titles. */
export function shortQuery(text: string, max = 70): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
