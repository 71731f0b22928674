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
  const key = throughJoin(loop, varying);
  const loopTable = bareName(key.table ?? loop.mainTable ?? '');
  if (loopTable === '') return null;
  const column = key.column;
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

const ident = String.raw`"?([\w$]+)"?`;

/**
 * TypeORM's `findBy({ author: { id } })` filters on the joined parent's key
 * (`LEFT JOIN "authors" "a" ON "a"."id" = "Book"."author_id" WHERE "a"."id" = $1`): the loop
 * really reads the main table by its foreign key column, which is what the fix must use.
 */
function throughJoin(loop: StatementShape, varying: { readonly table: string | null; readonly column: string }): { table: string | null; column: string } {
  const main = loop.mainTable === null ? null : bareName(loop.mainTable);
  const joined = varying.table === null ? null : bareName(varying.table);
  if (main === null || joined === null || joined === main) return varying;
  const esc = joined.replace(/[$]/g, '\\$&');
  const on = `${ident}\\.${ident}\\s*=\\s*${ident}\\.${ident}`;
  const join = new RegExp(`\\bJOIN\\s+(?:"?[\\w$]+"?\\.)?"?${esc}"?\\s+(?:AS\\s+)?${ident}\\s+ON\\s+\\(*\\s*${on}`, 'i').exec(loop.normalized);
  if (join === null) return varying;
  const [, alias, l1, c1, l2, c2] = join;
  // the side naming the joined alias and the varying column; the other side is the main table's column
  if (l1 === alias && c1 === varying.column && l2 !== alias && c2 !== undefined) return { table: main, column: c2 };
  if (l2 === alias && c2 === varying.column && l1 !== alias && c1 !== undefined) return { table: main, column: c1 };
  return varying;
}

/** The attribute name the owner model uses for the relationship (orders, user). */
export function relationAttribute(rel: Relationship): string {
  if (rel.kind === 'one-to-many') return rel.loopTable;
  const fromFk = /^(.+)_id$/.exec(rel.fkColumn)?.[1];
  return fromFk ?? singular(rel.loopTable);
}
