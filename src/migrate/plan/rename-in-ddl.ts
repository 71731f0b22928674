import { parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';
import { quoteIdent } from '../../format/format.ts';
import { isNode } from '../pg-ast.ts';

type Mutable = Record<string, unknown>;

/** Which column lists of a constraint name the renamed column: its own (FOREIGN KEY (…)) or the referenced ones (REFERENCES t (…)). */
export type FkSide = 'referencing' | 'referenced';

function renameStrings(list: unknown, from: string, to: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    const s = isNode(item) ? (item.String as Mutable | undefined) : undefined;
    if (s !== undefined && s.sval === from) s.sval = to;
  }
}

/** Renames every reference to column `from` in an expression or index tree (ColumnRef and IndexElem). */
function renameColumnRefs(node: unknown, from: string, to: string): void {
  if (Array.isArray(node)) {
    for (const n of node) renameColumnRefs(n, from, to);
    return;
  }
  if (!isNode(node)) return;
  const m = node as Mutable;
  const ref = m.ColumnRef as Mutable | undefined;
  if (ref !== undefined && Array.isArray(ref.fields)) {
    // only the last field is the column (a.b is table.column)
    renameStrings(ref.fields.slice(-1), from, to);
  }
  const elem = m.IndexElem as Mutable | undefined;
  if (elem !== undefined && elem.name === from) elem.name = to;
  for (const v of Object.values(m)) renameColumnRefs(v, from, to);
}

function parseOne(sql: string): Mutable {
  const tree = parseSync(sql) as { stmts: { stmt: Mutable }[] };
  const stmt = tree.stmts[0]?.stmt;
  if (stmt === undefined) throw new Error(`cannot parse ${sql}`);
  return stmt;
}

function deparseOne(stmt: Mutable): string {
  return deparseSync({ version: 0, stmts: [{ stmt }] } as never, { pretty: false } as never).trim().replace(/;$/, '');
}

/** A copy of an index (pg_get_indexdef) on column `to` instead of `from`, named `name`, built CONCURRENTLY IF NOT EXISTS. */
export function copyIndexOnColumn(indexDef: string, from: string, to: string, name: string): string {
  const stmt = parseOne(indexDef);
  const idx = stmt.IndexStmt as Mutable;
  renameColumnRefs(idx.indexParams, from, to);
  renameColumnRefs(idx.indexIncludingParams, from, to);
  renameColumnRefs(idx.whereClause, from, to);
  idx.idxname = name;
  idx.concurrent = true;
  idx.if_not_exists = true;
  return `${deparseOne(stmt)};`;
}

/**
 * ADD CONSTRAINT `name` with the definition (pg_get_constraintdef) of an existing CHECK or FOREIGN KEY,
 * moved from column `from` to `to`, NOT VALID so that adding it does not scan the table.
 */
export function copyConstraintOnColumn(table: string, definition: string, from: string, to: string, name: string, side: FkSide | 'check'): string {
  const stmt = parseOne(`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} ${definition}`);
  const cmds = (stmt.AlterTableStmt as Mutable).cmds as Mutable[];
  const con = ((cmds[0]?.AlterTableCmd as Mutable).def as Mutable).Constraint as Mutable;
  if (side === 'check') renameColumnRefs(con.raw_expr, from, to);
  else renameStrings(side === 'referencing' ? con.fk_attrs : con.pk_attrs, from, to);
  con.skip_validation = true;
  con.initially_valid = false;
  return `${deparseOne(stmt)};`;
}

/** The name an object gets when its column is renamed: the column's part of the name replaced, else null. */
export function renamedObjectName(name: string, from: string, to: string): string | null {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|_)${escaped}(?=_|$)`);
  return re.test(name) ? name.replace(re, `$1${to}`).slice(0, 63) : null;
}
