import { fingerprintSql, normalizeSql, tryParseSql } from '../sql/index.ts';
import { maskLiterals } from './sql-literals.ts';

export type StatementCommand = 'select' | 'insert' | 'update' | 'delete' | 'utility';

/** A column compared with `= $n` (or `IN ($n, …)`, `= ANY($n)`) in the WHERE clause. */
export interface EqualityParam {
  readonly param: number;
  /** the table the column belongs to, resolved through aliases when possible */
  readonly table: string | null;
  readonly column: string;
  /** compared with a list of several parameters (`IN ($1, $2, …)`): each statement reads a set of keys */
  readonly set: boolean;
  /** compared with `= ANY($n)`: a set of keys when the array holds more than one */
  readonly array: boolean;
}

/** What the detector needs to know about a statement shape, computed once per fingerprint. */
export interface StatementShape {
  readonly fingerprint: string;
  /** constants replaced by $n (libpg_query normalize) */
  readonly normalized: string;
  readonly command: StatementCommand;
  /** the table read or written first (FROM / INSERT INTO / UPDATE / DELETE FROM) */
  readonly mainTable: string | null;
  readonly tables: readonly string[];
  readonly equality: readonly EqualityParam[];
  /** parameters used in LIMIT / OFFSET or range comparisons: a loop over them is paging */
  readonly pagingParams: readonly number[];
  /** SELECT 1 / SELECT EXISTS(…): a uniqueness or validation check */
  readonly existenceProbe: boolean;
  /** SELECT * or t.* */
  readonly selectsAll: boolean;
  readonly selectedColumns: readonly string[];
  /** how many $n placeholders the text had before literals were normalized */
  readonly bindParamCount: number;
  readonly insertRows: number;
}

type Node = Record<string, unknown>;

function unwrap(node: unknown): [string, Node] | null {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
  const entries = Object.entries(node as Node);
  if (entries.length !== 1) return null;
  const [k, v] = entries[0] as [string, unknown];
  return typeof v === 'object' && v !== null ? [k, v as Node] : null;
}

function paramOf(node: unknown): number | null {
  const u = unwrap(node);
  if (u === null) return null;
  if (u[0] === 'ParamRef') return typeof u[1].number === 'number' ? u[1].number : null;
  if (u[0] === 'TypeCast') return paramOf(u[1].arg);
  return null;
}

function columnOf(node: unknown): string[] | null {
  const u = unwrap(node);
  if (u === null) return null;
  if (u[0] === 'TypeCast') return columnOf(u[1].arg);
  if (u[0] !== 'ColumnRef') return null;
  const fields = (u[1].fields as unknown[] | undefined) ?? [];
  const names = fields.map((f) => {
    const s = unwrap(f);
    return s !== null && s[0] === 'String' ? String(s[1].sval) : '*';
  });
  return names;
}

function opName(expr: Node): string {
  const name = (expr.name as unknown[] | undefined)?.[0];
  const s = unwrap(name);
  return s === null ? '' : String(s[1].sval);
}

function walk(node: unknown, visit: (kind: string, body: Node) => boolean): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Node)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && /^[A-Z]/.test(k)) {
      if (!visit(k, v as Node)) continue;
    }
    walk(v, visit);
  }
}

function collectRelations(fromClause: unknown, aliases: Map<string, string>, tables: string[]): void {
  walk(fromClause, (kind, body) => {
    if (kind === 'RangeVar') {
      const name = String(body.relname);
      tables.push(name);
      aliases.set(name, name);
      const alias = body.alias as Node | undefined;
      if (alias?.aliasname !== undefined) aliases.set(String(alias.aliasname), name);
      return false;
    }
    return kind !== 'RangeSubselect';
  });
}

function countBindParams(sql: string): number {
  let max = 0;
  for (const m of maskLiterals(sql).key.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** Analyzes one statement text; null when it does not parse (cut lines, other dialects). */
export function analyzeStatement(sql: string): StatementShape | null {
  const head = /^[\s(]*(\w+)/.exec(maskLiterals(sql.slice(0, 200)).key)?.[1]?.toLowerCase() ?? '';
  if (!['select', 'insert', 'update', 'delete', 'with', 'values', 'table', 'merge'].includes(head)) {
    // SET, SHOW, BEGIN, driver housekeeping: never part of an N+1, and not always normalizable
    return { fingerprint: `utility:${head}`, normalized: head.toUpperCase(), bindParamCount: 0, command: 'utility', mainTable: null, tables: [], equality: [], pagingParams: [], existenceProbe: false, selectsAll: false, selectedColumns: [], insertRows: 0 };
  }
  const fingerprint = fingerprintSql(sql);
  const normalized = normalizeSql(sql);
  if (fingerprint === null || normalized === null) return null;
  const parsed = tryParseSql(normalized);
  if (!parsed.ok) return null;
  const stmt = unwrap(parsed.result.stmts?.[0]?.stmt);
  const base = { fingerprint, normalized, bindParamCount: countBindParams(sql) };
  const empty = { equality: [], pagingParams: [], existenceProbe: false, selectsAll: false, selectedColumns: [], insertRows: 0 };
  if (stmt === null) return { ...base, ...empty, command: 'utility', mainTable: null, tables: [] };
  const [kind, body] = stmt;
  const aliases = new Map<string, string>();
  const tables: string[] = [];
  let command: StatementCommand = 'utility';
  let where: unknown = null;
  let insertRows = 0;
  if (kind === 'SelectStmt') {
    command = 'select';
    collectRelations(body.fromClause, aliases, tables);
    where = [body.whereClause, body.fromClause];
  } else if (kind === 'InsertStmt') {
    command = 'insert';
    const rel = body.relation as Node | undefined;
    if (rel !== undefined) tables.push(String(rel.relname));
    const sel = unwrap(body.selectStmt);
    insertRows = sel !== null && Array.isArray(sel[1].valuesLists) ? sel[1].valuesLists.length : 0;
  } else if (kind === 'UpdateStmt' || kind === 'DeleteStmt') {
    command = kind === 'UpdateStmt' ? 'update' : 'delete';
    const rel = body.relation as Node | undefined;
    if (rel !== undefined) {
      tables.push(String(rel.relname));
      aliases.set(String(rel.relname), String(rel.relname));
      const alias = rel.alias as Node | undefined;
      if (alias?.aliasname !== undefined) aliases.set(String(alias.aliasname), String(rel.relname));
    }
    where = body.whereClause;
  }
  if (command === 'utility') return { ...base, ...empty, command, mainTable: null, tables };
  const mainTable = tables[0] ?? null;
  const resolve = (names: string[]): EqualityParam | null => {
    const column = names[names.length - 1];
    if (column === undefined || column === '*') return null;
    const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
    const table = qualifier !== undefined ? (aliases.get(qualifier) ?? qualifier) : tables.length === 1 ? (mainTable ?? null) : null;
    return { param: 0, table, column, set: false, array: false };
  };
  const equality: EqualityParam[] = [];
  const paging = new Set<number>();
  walk(where, (k, expr) => {
    if (k === 'SubLink') return false;
    if (k !== 'A_Expr') return true;
    const op = opName(expr);
    const exprKind = String(expr.kind);
    if (exprKind === 'AEXPR_OP' && op === '=') {
      const pairs: [unknown, unknown][] = [
        [expr.lexpr, expr.rexpr],
        [expr.rexpr, expr.lexpr],
      ];
      for (const [c, p] of pairs) {
        const col = columnOf(c);
        const param = paramOf(p);
        const r = col === null ? null : resolve(col);
        if (r !== null && param !== null) equality.push({ ...r, param, set: false, array: false });
      }
    } else if (exprKind === 'AEXPR_OP' && ['<', '>', '<=', '>='].includes(op)) {
      for (const side of [expr.lexpr, expr.rexpr]) {
        const param = paramOf(side);
        if (param !== null) paging.add(param);
      }
    } else if (exprKind === 'AEXPR_IN' || exprKind === 'AEXPR_OP_ANY') {
      const col = columnOf(expr.lexpr);
      const r = col === null ? null : resolve(col);
      const right = unwrap(expr.rexpr);
      const items = right !== null && right[0] === 'List' ? ((right[1].items as unknown[]) ?? []) : [expr.rexpr];
      const set = items.length > 1;
      const array = exprKind === 'AEXPR_OP_ANY';
      for (const item of items) {
        const param = paramOf(item);
        if (r !== null && param !== null) equality.push({ ...r, param, set, array });
      }
    } else if (exprKind === 'AEXPR_BETWEEN') {
      walk(expr.rexpr, (kk, b) => {
        if (kk === 'ParamRef' && typeof b.number === 'number') paging.add(b.number);
        return true;
      });
    }
    return true;
  });
  for (const key of ['limitCount', 'limitOffset']) {
    const p = paramOf(body[key]);
    if (p !== null) paging.add(p);
  }
  const targets = (command === 'select' ? (body.targetList as unknown[] | undefined) : undefined) ?? [];
  let selectsAll = false;
  const selectedColumns: string[] = [];
  let constantsOnly = targets.length > 0;
  let exists = false;
  for (const t of targets) {
    const rt = unwrap(t);
    const val = rt === null ? null : unwrap(rt[1].val);
    if (val === null) continue;
    if (val[0] === 'ColumnRef') {
      const names = columnOf({ ColumnRef: val[1] }) ?? [];
      if (names[names.length - 1] === '*') selectsAll = true;
      else selectedColumns.push(names[names.length - 1] ?? '');
    }
    if (val[0] === 'SubLink' && val[1].subLinkType === 'EXISTS_SUBLINK') exists = true;
    // normalize turns `SELECT 1` into `SELECT $n`
    if (val[0] !== 'A_Const' && val[0] !== 'ParamRef') constantsOnly = false;
  }
  return {
    ...base,
    command,
    mainTable,
    tables,
    equality,
    pagingParams: [...paging],
    existenceProbe: command === 'select' && (exists || constantsOnly),
    selectsAll,
    selectedColumns,
    insertRows,
  };
}
