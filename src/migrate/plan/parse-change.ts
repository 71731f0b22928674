import { parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';
import { DbOptimizeError } from '../../errors/index.ts';
import { describeParseError } from '../../sql/parser.ts';
import { deriveIdentifier, quoteIdent, splitQualifiedName } from '../../sql/quote.ts';
import type { AstNode } from '../pg-ast.ts';
import { child, classifyDefault, list, text, typeInfo } from '../pg-ast.ts';
import type { DefaultKind } from '../pg-ast.ts';

export type Change =
  | { readonly kind: 'add-column'; readonly table: string; readonly column: string; readonly type: string; readonly notNull: boolean; readonly defaultSql: string | null; readonly defaultKind: DefaultKind }
  | { readonly kind: 'add-index'; readonly table: string; readonly name: string; readonly body: string; readonly unique: boolean }
  | { readonly kind: 'add-fk'; readonly table: string; readonly columns: readonly string[]; readonly refTable: string; readonly refColumns: readonly string[]; readonly name: string }
  | { readonly kind: 'change-type'; readonly table: string; readonly column: string; readonly type: string; readonly using: string | null }
  | { readonly kind: 'set-not-null'; readonly table: string; readonly column: string }
  | { readonly kind: 'rename-column'; readonly table: string; readonly column: string; readonly newName: string }
  | { readonly kind: 'rename-table'; readonly table: string; readonly newName: string };

function bad(flag: string, message: string, hint: string): never {
  throw new DbOptimizeError('E_BAD_CHANGE', 'usage', `--${flag}: ${message}`, { hint });
}

/**
 * "schema.table.column" or "table.column" → [table, column]; parts may be double-quoted
 * ("My Schema"."Order Items"."Item ID"), as our own suggestions print them. The table comes back
 * quoted for SQL, the column unquoted.
 */
function tableColumn(flag: string, spec: string, example: string): [string, string] {
  const trimmed = spec.trim();
  const parts = splitQualifiedName(trimmed);
  const part = '(?:"(?:[^"]|"")+"|[A-Za-z_][\\w$]*)';
  const simple = trimmed.split('.').every((p) => /^[A-Za-z_][\w$]*$/.test(p));
  if (parts.length < 2 || parts.length > 3 || !new RegExp(`^${part}(?:\\.${part}){1,2}$`).test(trimmed)) {
    bad(flag, `expected TABLE.COLUMN, got "${spec}"`, `example: --${flag} ${example}`);
  }
  const column = parts.pop() as string;
  return [simple ? trimmed.split('.').slice(0, -1).join('.') : parts.map(quoteIdent).join('.'), column];
}

/** The first word (a possibly quoted name, which may hold spaces) and the rest of the value. */
function splitHead(value: string): [string, string] {
  const v = value.trim();
  let inQuotes = false;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '"') inQuotes = !inQuotes;
    else if (!inQuotes && /\s/.test(v[i] ?? '')) return [v.slice(0, i), v.slice(i).trim()];
  }
  return [v, ''];
}

function parseWithOffset(flag: string, sql: string, prefixLength: number, shown: string): AstNode {
  try {
    const r = parseSync(sql) as { stmts?: { stmt?: AstNode }[] };
    const stmt = r.stmts?.[0]?.stmt;
    if (stmt === undefined || (r.stmts?.length ?? 0) !== 1) bad(flag, 'expected exactly one definition', 'do not put ; in the value');
    return stmt;
  } catch (error) {
    if (error instanceof DbOptimizeError) throw error;
    const d = describeParseError(sql, error);
    const col = d.position === null ? null : Math.max(1, d.position - prefixLength + 1);
    throw new DbOptimizeError('E_BAD_CHANGE', 'usage', `--${flag}: "${shown}" does not parse${col === null ? '' : ` at column ${col}`}: ${d.message}`, {
      hint: `write it as PostgreSQL would after the table name, e.g. --add-column users.tier "text NOT NULL DEFAULT 'free'"`,
      details: { column: col },
    });
  }
}

function deparseExpr(expr: unknown): string {
  // deparse a SELECT of the expression so the deparser has a full statement to work with
  const sql = deparseSync({ stmts: [{ stmt: { SelectStmt: { targetList: [{ ResTarget: { val: expr } }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } } }] } as never);
  return sql.replace(/^SELECT\s+/i, '').replace(/;\s*$/, '');
}

function typeSql(typeName: unknown): string {
  const sql = deparseSync({ stmts: [{ stmt: { AlterTableStmt: { relation: { relname: 't', inh: true, relpersistence: 'p' }, cmds: [{ AlterTableCmd: { subtype: 'AT_AlterColumnType', name: 'c', def: { ColumnDef: { typeName } }, behavior: 'DROP_RESTRICT' } }], objtype: 'OBJECT_TABLE' } } }] } as never);
  const m = /TYPE\s+(.+?);?$/i.exec(sql.trim());
  return m?.[1]?.trim() ?? typeInfo(typeName).display;
}

/** Parses one change request from the plan flags. `extra` is the definition given as the next argument. */
export function parseChange(flag: string, value: string, extra: string | undefined): Change {
  const [head, inline] = splitHead(value);
  const rest = (inline !== '' ? inline : (extra ?? '')).trim();
  switch (flag) {
    case 'add-column': {
      const [table, column] = tableColumn(flag, head ?? '', `users.tier "text NOT NULL DEFAULT 'free'"`);
      if (rest === '') bad(flag, 'missing the column definition', `example: --add-column ${table}.${column} "text NOT NULL DEFAULT 'free'"`);
      const prefix = `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(column)} `;
      const stmt = parseWithOffset(flag, prefix + rest, prefix.length, rest);
      const cmd = child(list(child(stmt, 'AlterTableStmt')?.cmds)[0], 'AlterTableCmd');
      const col = child(cmd?.def, 'ColumnDef');
      if (col === undefined) bad(flag, `"${rest}" is not a column definition`, 'give a type and optional NOT NULL / DEFAULT');
      const cons = list(col.constraints).map((c) => child(c, 'Constraint')).filter((c): c is AstNode => c !== undefined);
      const def = cons.find((c) => text(c, 'contype') === 'CONSTR_DEFAULT');
      const other = cons.find((c) => !['CONSTR_DEFAULT', 'CONSTR_NOTNULL', 'CONSTR_NULL'].includes(text(c, 'contype') ?? ''));
      if (other !== undefined) {
        bad(flag, `${(text(other, 'contype') ?? '').replace('CONSTR_', '')} in a column definition is planned separately`, 'plan the column first, then --add-fk / --add-index for the constraint');
      }
      return {
        kind: 'add-column',
        table,
        column,
        type: typeSql(col.typeName),
        notNull: cons.some((c) => text(c, 'contype') === 'CONSTR_NOTNULL'),
        defaultSql: def === undefined ? null : deparseExpr(def.raw_expr),
        defaultKind: classifyDefault(def?.raw_expr),
      };
    }
    case 'add-index': {
      const unique = /^unique\s+/i.test(value.trim());
      const spec = value.trim().replace(/^unique\s+/i, '');
      const m = /^([\w$.]+)\s*\((.*)\)\s*(.*)$/s.exec(spec);
      if (m === null) bad(flag, `expected TABLE(COLUMNS…) [WHERE …], got "${spec}"`, 'example: --add-index "orders(user_id, created_at DESC)"');
      const [, table = '', cols = '', tail = ''] = m;
      const body = `(${cols})${tail === '' ? '' : ` ${tail}`}`;
      const stmt = parseWithOffset(flag, `CREATE INDEX x ON ${table} ${body}`, `CREATE INDEX x ON `.length, spec);
      const idx = child(stmt, 'IndexStmt');
      const names = list(idx?.indexParams).map((p) => text(child(p, 'IndexElem'), 'name') ?? 'expr');
      const name = deriveIdentifier([table.split('.').pop() ?? table, ...names], unique ? 'key' : 'idx');
      return { kind: 'add-index', table, name, body, unique };
    }
    case 'add-fk': {
      const m = /^([\w$.]+)\s*(?:\(([^)]*)\)|\.([\w$]+))\s*(?:->|=>|references)\s*([\w$.]+?)\s*(?:\(([^)]*)\)|\.([\w$]+))$/i.exec(value.trim());
      if (m === null) bad(flag, `expected TABLE.COLUMN->TABLE.COLUMN, got "${value}"`, 'example: --add-fk orders.user_id->users.id (or "orders(a,b) REFERENCES t(a,b)")');
      const table = m[1] ?? '';
      const columns = (m[2] ?? m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      const refTable = m[4] ?? '';
      const refColumns = (m[5] ?? m[6] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (columns.length !== refColumns.length) bad(flag, `${columns.length} columns reference ${refColumns.length}`, 'give as many referenced columns as referencing ones');
      const name = deriveIdentifier([table.split('.').pop() ?? table, ...columns], 'fkey');
      return { kind: 'add-fk', table, columns, refTable, refColumns, name };
    }
    case 'change-type': {
      const [table, column] = tableColumn(flag, head ?? '', 'users.id bigint');
      if (rest === '') bad(flag, 'missing the new type', `example: --change-type ${table}.${column} bigint`);
      const usingMatch = /\s+USING\s+(.+)$/is.exec(rest);
      const typeText = usingMatch === null ? rest : rest.slice(0, usingMatch.index);
      const prefix = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} TYPE `;
      const stmt = parseWithOffset(flag, prefix + rest, prefix.length, rest);
      const cmd = child(list(child(stmt, 'AlterTableStmt')?.cmds)[0], 'AlterTableCmd');
      const col = child(cmd?.def, 'ColumnDef');
      return { kind: 'change-type', table, column, type: col === undefined ? typeText : typeSql(col.typeName), using: usingMatch?.[1] ?? null };
    }
    case 'set-not-null': {
      const [table, column] = tableColumn(flag, head ?? '', 'users.email');
      return { kind: 'set-not-null', table, column };
    }
    case 'rename': {
      const target = rest.replace(/^to\s+/i, '');
      if (!/^[A-Za-z_][\w$]*$/.test(target)) bad(flag, `expected a new name, got "${rest}"`, 'examples: --rename users.name full_name   --rename users accounts');
      const parts = (head ?? '').split('.');
      if (parts.length === 1 || (parts.length === 2 && extra !== undefined && /^table$/i.test(extra))) {
        return { kind: 'rename-table', table: head ?? '', newName: target };
      }
      const [table, column] = tableColumn(flag, head ?? '', 'users.name full_name');
      return { kind: 'rename-column', table, column, newName: target };
    }
    default:
      return bad(flag, 'unknown change', 'use --add-column, --add-index, --add-fk, --change-type, --set-not-null or --rename');
  }
}

