import type { Snapshot } from '../../model/index.ts';
import type { StatementShape } from '../statement-shape.ts';
import { bareName, plural, singular } from './naming.ts';

/**
 * The relationship an N+1 loop walks. one-to-many: the loop reads the children of each
 * parent row (User.orders); many-to-one: it reads the parent of each child row (Order.user).
 */
export interface Relationship {
  readonly kind: 'one-to-many' | 'many-to-one';
  /** the table the "1" query reads, whose rows the loop iterates over */
  readonly ownerTable: string;
  /** the table the loop queries once per row */
  readonly loopTable: string;
  /** the column the loop filters on */
  readonly loopColumn: string;
  /** foreign key table.column → referenced table.column */
  readonly fkTable: string;
  readonly fkColumn: string;
  readonly referencedTable: string;
  readonly referencedColumn: string;
  /** where it was inferred from */
  readonly source: 'foreign-key' | 'sql';
  readonly constraint: string | null;
}

function foreignKeys(snapshot: Snapshot): { table: string; column: string; refTable: string; refColumn: string; name: string }[] {
  return snapshot.constraints
    .filter((c) => c.type === 'foreign' && c.references !== null && c.columns.length === 1)
    .map((c) => ({
      table: bareName(c.table),
      column: c.columns[0] ?? '',
      refTable: bareName(c.references?.table ?? ''),
      refColumn: c.references?.columns[0] ?? '',
      name: c.name,
    }));
}

/**
 * Infers the relationship from the repeated statement (`WHERE <column> = $n`), the statement
 * before the loop, and the snapshot's foreign keys when a database was given.
 */
export function inferRelationship(
  loop: StatementShape,
  varying: { readonly table: string | null; readonly column: string } | null,
  parent: StatementShape | null,
  snapshot: Snapshot | null,
): Relationship | null {
  if (varying === null) return null;
  const loopTable = bareName(varying.table ?? loop.mainTable ?? '');
  if (loopTable === '') return null;
  const column = varying.column;
  const parentTable = parent?.mainTable === null || parent?.mainTable === undefined ? null : bareName(parent.mainTable);
  if (snapshot !== null) {
    const fks = foreignKeys(snapshot);
    const own = fks.find((f) => f.table === loopTable && f.column === column && (parentTable === null || f.refTable === parentTable));
    if (own !== undefined) {
      return {
        kind: 'one-to-many',
        ownerTable: own.refTable,
        loopTable,
        loopColumn: column,
        fkTable: loopTable,
        fkColumn: column,
        referencedTable: own.refTable,
        referencedColumn: own.refColumn,
        source: 'foreign-key',
        constraint: own.name,
      };
    }
    const incoming = fks.find((f) => f.refTable === loopTable && f.refColumn === column && (parentTable === null || f.table === parentTable));
    if (incoming !== undefined) {
      return {
        kind: 'many-to-one',
        ownerTable: incoming.table,
        loopTable,
        loopColumn: column,
        fkTable: incoming.table,
        fkColumn: incoming.column,
        referencedTable: loopTable,
        referencedColumn: column,
        source: 'foreign-key',
        constraint: incoming.name,
      };
    }
  }
  if (column === 'id' && parentTable !== null && parentTable !== loopTable) {
    return {
      kind: 'many-to-one',
      ownerTable: parentTable,
      loopTable,
      loopColumn: column,
      fkTable: parentTable,
      fkColumn: `${singular(loopTable)}_id`,
      referencedTable: loopTable,
      referencedColumn: 'id',
      source: 'sql',
      constraint: null,
    };
  }
  const m = /^(.+?)_?id$/i.exec(column);
  if (m !== null && column !== 'id') {
    const owner = parentTable ?? plural(m[1] ?? '');
    return {
      kind: 'one-to-many',
      ownerTable: owner,
      loopTable,
      loopColumn: column,
      fkTable: loopTable,
      fkColumn: column,
      referencedTable: owner,
      referencedColumn: 'id',
      source: 'sql',
      constraint: null,
    };
  }
  return null;
}

/** The attribute name the owner model uses for the relationship (orders, user). */
export function relationAttribute(rel: Relationship): string {
  if (rel.kind === 'one-to-many') return rel.loopTable;
  const fromFk = /^(.+)_id$/.exec(rel.fkColumn)?.[1];
  return fromFk ?? singular(rel.loopTable);
}
