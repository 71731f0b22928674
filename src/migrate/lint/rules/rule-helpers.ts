import { deparseSync } from 'pgsql-deparser';
import { quoteIdent } from '../../../format/format.ts';
import { serverDefaultName } from '../../../sql/quote.ts';
import type { AstNode, TypeInfo } from '../../pg-ast.ts';
import { bool, child, list, rangeVarName, strings, text, typeInfo } from '../../pg-ast.ts';
import type { StatementContext } from '../lint-types.ts';

/** Quotes a possibly schema-qualified name for a recipe. */
export const qn = (name: string): string => name.split('.').map(quoteIdent).join('.');

/** The unqualified name, for generated object names. */
export const bareName = (name: string): string => name.split('.').pop() ?? name;

export interface AlterCmd {
  readonly table: string;
  readonly sub: string;
  readonly cmd: AstNode;
  readonly def: unknown;
}

/** The sub-commands of an ALTER TABLE on a table that existed before the migration (DDL on a new table blocks no one). */
export function alterCmds(ctx: StatementContext, includeNew = false): AlterCmd[] {
  if (ctx.kind !== 'AlterTableStmt') return [];
  const table = rangeVarName(ctx.node.relation);
  if (!includeNew && !ctx.existing(table)) return [];
  return list(ctx.node.cmds)
    .map((c) => child(c, 'AlterTableCmd'))
    .filter((c): c is AstNode => c !== undefined)
    .map((cmd) => ({ table, sub: text(cmd, 'subtype') ?? '', cmd, def: cmd.def }));
}

export interface AddedColumn {
  readonly table: string;
  readonly name: string;
  readonly type: TypeInfo;
  readonly col: AstNode;
  readonly cmd: AstNode;
  readonly constraints: readonly AstNode[];
  has(contype: string): AstNode | undefined;
}

/** ADD COLUMN sub-commands with their parsed constraints. */
export function addedColumns(ctx: StatementContext, includeNew = false): AddedColumn[] {
  return alterCmds(ctx, includeNew)
    .filter((c) => c.sub === 'AT_AddColumn')
    .flatMap((c) => {
      const col = child(c.def, 'ColumnDef');
      if (col === undefined) return [];
      const constraints = list(col.constraints).map((x) => child(x, 'Constraint')).filter((x): x is AstNode => x !== undefined);
      return [{ table: c.table, name: text(col, 'colname') ?? '?', type: typeInfo(child(col, 'typeName')), col, cmd: c.cmd, constraints, has: (t: string) => constraints.find((x) => text(x, 'contype') === t) }];
    });
}

/** Column definitions of CREATE TABLE and ADD COLUMN (for the type rules). */
export function declaredColumns(ctx: StatementContext): { table: string; name: string; type: TypeInfo }[] {
  if (ctx.kind === 'CreateStmt') {
    const table = rangeVarName(ctx.node.relation);
    return list(ctx.node.tableElts)
      .map((e) => child(e, 'ColumnDef'))
      .filter((c): c is AstNode => c !== undefined)
      .map((c) => ({ table, name: text(c, 'colname') ?? '?', type: typeInfo(child(c, 'typeName')) }));
  }
  const added = addedColumns(ctx, true).map((c) => ({ table: c.table, name: c.name, type: c.type }));
  const altered = alterCmds(ctx)
    .filter((c) => c.sub === 'AT_AlterColumnType')
    .map((c) => ({ table: c.table, name: text(c.cmd, 'name') ?? '?', type: typeInfo(child(child(c.def, 'ColumnDef'), 'typeName')) }));
  return [...added, ...altered];
}

export function deparseStatement(stmt: AstNode): string {
  try {
    return deparseSync({ stmts: [{ stmt }] } as never, { pretty: false } as never).replace(/;\s*$/, '');
  } catch {
    return '-- (could not render the statement)';
  }
}

export function deparseExpression(expr: unknown): string {
  const sql = deparseStatement({ SelectStmt: { targetList: [{ ResTarget: { val: expr } }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } });
  return sql.replace(/^SELECT\s+/i, '');
}

export const isConcurrent = (n: AstNode): boolean => bool(n, 'concurrent');

/** Tables that migration tools write their own bookkeeping to: updating them is not a data backfill. */
export const MIGRATION_BOOKKEEPING = new Set([
  'alembic_version',
  'schema_migrations',
  'ar_internal_metadata',
  'django_migrations',
  'flyway_schema_history',
  'knex_migrations',
  'knex_migrations_lock',
  '_prisma_migrations',
  '__drizzle_migrations',
  'goose_db_version',
  'schema_version',
  'sequelizemeta',
  'migrations',
]);

/** ADD CONSTRAINT … NOT VALID, then VALIDATE after the transaction commits (never a bare COMMIT in the recipe). */
export function notValidRecipe(ctx: StatementContext, table: string, con: AstNode, cmd: AstNode): string {
  const fallback = text(con, 'contype') === 'CONSTR_FOREIGN' ? serverDefaultName(bareName(table), strings(con.fk_attrs).join('_'), 'fkey') : serverDefaultName(bareName(table), null, 'check');
  const name = text(con, 'conname') ?? fallback;
  const add = deparseStatement({ AlterTableStmt: { ...ctx.node, cmds: [{ AlterTableCmd: { ...cmd, def: { Constraint: { ...con, conname: name, skip_validation: true, initially_valid: false } } } }] } });
  return `${add};\n-- then validate after this transaction has committed (its own migration, or the next statement outside a transaction):\nALTER TABLE ${qn(table)} VALIDATE CONSTRAINT ${qn(name)};`;
}

/** Target types that some source types reach without a rewrite (binary-coercible casts or a typmod change). */
export const BINARY_TARGETS: ReadonlySet<string> = new Set(['text', 'varchar', 'numeric', 'inet', 'varbit']);

const VARCHARS = new Set(['varchar', 'text']);

/** ALTER COLUMN TYPE that PostgreSQL does without rewriting the table (and, except for text → varchar(n), without a scan). */
export function binaryCompatible(from: TypeInfo, to: TypeInfo): boolean {
  if (from.isArray !== to.isArray) return false;
  const fromLen = from.mods[0];
  const toLen = to.mods[0];
  if (from.name === to.name && from.mods.join(',') === to.mods.join(',')) return true;
  if (to.name === 'text') return VARCHARS.has(from.name);
  if (to.name === 'varchar') {
    if (from.name === 'varchar') return toLen === undefined || (fromLen !== undefined && toLen >= fromLen);
    return from.name === 'text' && toLen === undefined;
  }
  if (to.name === 'numeric' && from.name === 'numeric') {
    // precision up at the same scale, or unconstrained: no rewrite
    if (to.mods.length === 0) return true;
    return from.mods.length > 0 && (to.mods[0] ?? 0) >= (from.mods[0] ?? 0) && (to.mods[1] ?? 0) === (from.mods[1] ?? 0);
  }
  if (to.name === 'varbit' && from.name === 'varbit') return toLen === undefined || (fromLen !== undefined && toLen >= fromLen);
  return to.name === 'inet' && from.name === 'cidr';
}

/** The source types from which `to` is reached without a rewrite, for messages. */
export function compatibleSources(to: TypeInfo): string {
  const len = to.mods[0];
  switch (to.name) {
    case 'text':
      return 'varchar';
    case 'varchar':
      return len === undefined ? 'text or varchar' : `varchar(n ≤ ${len})`;
    case 'numeric':
      return to.mods.length === 0 ? 'numeric' : `numeric(p ≤ ${to.mods[0] ?? 0}, ${to.mods[1] ?? 0})`;
    case 'inet':
      return 'cidr';
    default:
      return `a shorter ${to.name}`;
  }
}

/** Identifiers over 63 bytes in a statement's text; string literals and comments are skipped. */
export function longIdentifiers(sql: string): string[] {
  const out: string[] = [];
  const re = /'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\/|\$(\w*)\$[\s\S]*?\$\1\$|"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g;
  for (const m of sql.matchAll(re)) {
    const id = m[2] ?? m[3];
    if (id !== undefined && Buffer.byteLength(id, 'utf8') > 63) out.push(id);
  }
  return out;
}
