import { deparseSync } from 'pgsql-deparser';
import type { Snapshot, Table } from '../model/index.ts';

/** One use of a $n parameter: which column it is compared with and how. */
export interface ParamUse {
  readonly table: string;
  readonly column: string;
  readonly op: 'eq' | 'lt' | 'gt' | 'between-lo' | 'between-hi' | 'limit' | 'offset' | 'like';
}

export interface ExprUse {
  /** the expression with table aliases removed, as an index key */
  readonly expr: string;
  readonly columns: readonly string[];
}

/** What one statement asks of one table: the raw material of candidate generation. */
export interface TableAccess {
  readonly table: Table;
  readonly eq: string[];
  readonly range: string[];
  readonly orderBy: { column: string; desc: boolean }[];
  readonly groupBy: string[];
  /** column = constant; `literal`: written as a constant in the text (not a bare boolean column) */
  readonly literalEq: { column: string; value: string; literal?: true }[];
  readonly nullTests: { column: string; isNull: boolean }[];
  readonly exprEq: ExprUse[];
  readonly prefixLike: string[];
  readonly gin: { column: string; kind: 'jsonb' | 'array' | 'tsvector' }[];
  readonly trigram: string[];
  readonly fts: (ExprUse & { rewrite: boolean })[];
  /** columns the statement reads from this table; null: all (SELECT *) */
  referenced: Set<string> | null;
}

export interface StatementShape {
  kind: 'select' | 'update' | 'delete' | 'insert' | 'other';
  readonly accesses: TableAccess[];
  readonly params: Map<number, ParamUse>;
  paramCount: number;
  /** columns written by UPDATE, per table */
  readonly updated: Map<string, Set<string>>;
  readonly tables: Set<string>;
  readonly unknownTables: string[];
}

type Node = Record<string, unknown>;

function obj(v: unknown): Node | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  const s = obj(v)?.String;
  return s === undefined ? undefined : (obj(s)?.sval as string | undefined);
}

interface Scope {
  readonly byAlias: Map<string, TableAccess>;
  readonly accesses: TableAccess[];
  readonly parent: Scope | null;
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);
const GIN_OPS = new Set(['@>', '<@', '?', '?|', '?&', '&&']);

/**
 * Walks a parsed statement and records, per table, the predicates an index could serve.
 * Operator-class aware: equality/range/order go to btree, containment to GIN, leading-wildcard
 * LIKE to trigram GIN, @@ to full-text GIN.
 */
export function statementShape(stmt: Node, snapshot: Snapshot, searchPath: readonly string[] = ['public']): StatementShape {
  const shape: StatementShape = {
    kind: 'other',
    accesses: [],
    params: new Map(),
    paramCount: 0,
    updated: new Map(),
    tables: new Set(),
    unknownTables: [],
  };
  let maxParam = 0;
  const tableByName = new Map(snapshot.tables.map((t) => [`${t.schema}.${t.name}`, t]));

  const resolveTable = (rv: Node): Table | undefined => {
    const name = rv.relname as string;
    const schema = rv.schemaname as string | undefined;
    if (schema !== undefined) return tableByName.get(`${schema}.${name}`);
    for (const s of searchPath) {
      const t = tableByName.get(`${s}.${name}`);
      if (t !== undefined) return t;
    }
    return undefined;
  };

  const newAccess = (table: Table): TableAccess => {
    const a: TableAccess = {
      table,
      eq: [],
      range: [],
      orderBy: [],
      groupBy: [],
      literalEq: [],
      nullTests: [],
      exprEq: [],
      prefixLike: [],
      gin: [],
      trigram: [],
      fts: [],
      referenced: new Set(),
    };
    shape.accesses.push(a);
    shape.tables.add(table.qualifiedName);
    return a;
  };

  const addRangeVar = (rv: Node, scope: Scope): TableAccess | undefined => {
    const table = resolveTable(rv);
    if (table === undefined) {
      shape.unknownTables.push(String(rv.relname));
      return undefined;
    }
    const a = newAccess(table);
    const alias = (obj(rv.alias)?.aliasname as string | undefined) ?? (rv.relname as string);
    scope.byAlias.set(alias, a);
    scope.accesses.push(a);
    return a;
  };

  /** Column reference → (access, column); searches enclosing scopes for correlated references. */
  const resolveColumn = (node: unknown, scope: Scope): { access: TableAccess; column: string; outer: boolean } | undefined => {
    const cr = obj(obj(node)?.ColumnRef);
    if (cr === undefined) return undefined;
    const fields = arr(cr.fields).map(str);
    if (fields.some((f) => f === undefined)) return undefined;
    const column = fields[fields.length - 1] as string;
    const qualifier = fields.length >= 2 ? (fields[fields.length - 2] as string) : undefined;
    for (let s: Scope | null = scope, outer = false; s !== null; s = s.parent, outer = true) {
      if (qualifier !== undefined) {
        const a = s.byAlias.get(qualifier);
        if (a !== undefined) return { access: a, column, outer };
        continue;
      }
      const a = s.accesses.find((x) => x.table.columns.some((c) => c.name === column));
      if (a !== undefined) return { access: a, column, outer };
    }
    return undefined;
  };

  const columnsIn = (node: unknown, scope: Scope, out: { access: TableAccess; column: string }[] = []): { access: TableAccess; column: string }[] => {
    if (Array.isArray(node)) {
      for (const n of node) columnsIn(n, scope, out);
      return out;
    }
    const o = obj(node);
    if (o === undefined) return out;
    if (o.ColumnRef !== undefined) {
      const r = resolveColumn(o, scope);
      if (r !== undefined) out.push(r);
      return out;
    }
    if (o.SubLink !== undefined || o.SelectStmt !== undefined) return out;
    for (const v of Object.values(o)) columnsIn(v, scope, out);
    return out;
  };

  const noteParam = (node: unknown, use: Omit<ParamUse, 'op'> | null, op: ParamUse['op']): void => {
    const p = obj(obj(node)?.ParamRef);
    if (p === undefined || use === null) return;
    const n = p.number as number;
    if (!shape.params.has(n)) shape.params.set(n, { ...use, op });
  };

  /** constant-ish: a literal, a parameter, or an expression without columns of this scope */
  const isValue = (node: unknown, scope: Scope): boolean => {
    const o = obj(node);
    if (o === undefined) return false;
    if (o.A_Const !== undefined || o.ParamRef !== undefined) return true;
    if (o.TypeCast !== undefined) return isValue(obj(o.TypeCast)?.arg, scope);
    if (o.SubLink !== undefined) return true;
    return columnsIn(o, scope).every((c) => !scope.accesses.includes(c.access));
  };

  const constText = (node: unknown): string | undefined => {
    let o = obj(node);
    if (obj(o?.TypeCast) !== undefined) o = obj(obj(o?.TypeCast)?.arg);
    const c = obj(o?.A_Const);
    if (c === undefined) return undefined;
    if (obj(c.sval) !== undefined) return obj(c.sval)?.sval as string;
    if (obj(c.ival) !== undefined) return String(obj(c.ival)?.ival ?? 0);
    if (obj(c.fval) !== undefined) return String(obj(c.fval)?.fval);
    if (obj(c.boolval) !== undefined) return String(obj(c.boolval)?.boolval ?? false);
    return undefined;
  };

  const stripAliases = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(stripAliases);
    const o = obj(node);
    if (o === undefined) return node;
    if (o.ColumnRef !== undefined) {
      const fields = arr(obj(o.ColumnRef)?.fields);
      return { ColumnRef: { ...obj(o.ColumnRef), fields: fields.slice(-1) } };
    }
    const out: Node = {};
    for (const [k, v] of Object.entries(o)) out[k] = k === 'location' ? -1 : stripAliases(v);
    return out;
  };

  const deparseExpr = (node: unknown): string | undefined => {
    try {
      return deparseSync(stripAliases(node) as never);
    } catch {
      return undefined;
    }
  };

  const singleTableExpr = (node: unknown, scope: Scope): { access: TableAccess; expr: string; columns: string[] } | undefined => {
    const cols = columnsIn(node, scope).filter((c) => scope.accesses.includes(c.access));
    const first = cols[0];
    if (first === undefined || cols.some((c) => c.access !== first.access)) return undefined;
    const expr = deparseExpr(node);
    return expr === undefined ? undefined : { access: first.access, expr, columns: [...new Set(cols.map((c) => c.column))] };
  };

  const columnType = (a: TableAccess, column: string): string => a.table.columns.find((c) => c.name === column)?.type ?? '';

  const predicate = (node: unknown, scope: Scope): void => {
    const o = obj(node);
    if (o === undefined) return;
    const bool = obj(o.BoolExpr);
    if (bool !== undefined) {
      if (bool.boolop === 'AND_EXPR') for (const a of arr(bool.args)) predicate(a, scope);
      else for (const c of columnsIn(bool.args, scope)) c.access.referenced?.add(c.column);
      for (const a of arr(bool.args)) subqueries(a, scope);
      return;
    }
    for (const c of columnsIn(o, scope)) c.access.referenced?.add(c.column);
    subqueries(o, scope);
    const nt = obj(o.NullTest);
    if (nt !== undefined) {
      const c = resolveColumn(nt.arg, scope);
      if (c !== undefined && !c.outer) c.access.nullTests.push({ column: c.column, isNull: nt.nulltesttype === 'IS_NULL' });
      return;
    }
    const e = obj(o.A_Expr);
    if (e === undefined) {
      const c = resolveColumn(o, scope);
      if (c !== undefined && !c.outer && columnType(c.access, c.column) === 'boolean') c.access.literalEq.push({ column: c.column, value: 'true' });
      return;
    }
    const op = str(arr(e.name)[0]) ?? '';
    const kind = e.kind as string;
    let l = e.lexpr;
    let r = e.rexpr;
    let opFlipped = op;
    let left = resolveColumn(l, scope);
    if ((left === undefined || left.outer) && kind === 'AEXPR_OP') {
      const right = resolveColumn(r, scope);
      if (right !== undefined && !right.outer) {
        [l, r] = [r, l];
        left = right;
        opFlipped = op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op === '<@' ? '@>' : op;
      }
    }
    if (left !== undefined && !left.outer) {
      const { access, column } = left;
      const use = { table: access.table.qualifiedName, column };
      if (kind === 'AEXPR_OP' && opFlipped === '=') {
        const other = resolveColumn(r, scope);
        if (other !== undefined && !other.outer && other.access !== access) {
          // join: each side may be the inner side of a nested loop
          access.eq.push(column);
          other.access.eq.push(other.column);
          return;
        }
        if (isValue(r, scope) || other?.outer === true) {
          access.eq.push(column);
          const v = constText(r);
          if (v !== undefined) access.literalEq.push({ column, value: v, literal: true });
          noteParam(r, use, 'eq');
        }
        return;
      }
      if (kind === 'AEXPR_OP' && RANGE_OPS.has(opFlipped) && isValue(r, scope)) {
        access.range.push(column);
        noteParam(r, use, opFlipped.startsWith('<') ? 'lt' : 'gt');
        return;
      }
      if (kind === 'AEXPR_IN' && op === '=') {
        access.eq.push(column);
        return;
      }
      if (kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_BETWEEN_SYM') {
        access.range.push(column);
        const items = arr(obj(obj(r)?.List)?.items);
        noteParam(items[0], use, 'between-lo');
        noteParam(items[1], use, 'between-hi');
        return;
      }
      if (kind === 'AEXPR_LIKE' || kind === 'AEXPR_ILIKE') {
        const pattern = constText(r);
        noteParam(r, use, 'like');
        if (kind === 'AEXPR_LIKE' && pattern !== undefined && !/^[%_]/.test(pattern)) access.prefixLike.push(column);
        else access.trigram.push(column);
        return;
      }
      if (kind === 'AEXPR_OP' && GIN_OPS.has(opFlipped)) {
        const type = columnType(access, column);
        if (type === 'jsonb') access.gin.push({ column, kind: 'jsonb' });
        else if (type.endsWith('[]')) access.gin.push({ column, kind: 'array' });
        return;
      }
      if (kind === 'AEXPR_OP' && op === '@@' && columnType(access, column) === 'tsvector') {
        access.gin.push({ column, kind: 'tsvector' });
        return;
      }
      return;
    }
    // expression on the left: lower(email) = $1, data->>'k' = $1, to_tsvector(...) @@ q
    if (kind !== 'AEXPR_OP') return;
    const fn = obj(obj(l)?.FuncCall);
    if (op === '@@' && fn !== undefined) {
      const name = str(arr(fn.funcname).at(-1));
      if (name === 'to_tsvector') {
        const args = arr(fn.args);
        const target = singleTableExpr(l, scope);
        if (target === undefined) return;
        if (args.length >= 2) target.access.fts.push({ expr: target.expr, columns: target.columns, rewrite: false });
        else {
          const config = snapshot.settings.find((s) => s.name === 'default_text_search_config')?.setting ?? 'pg_catalog.simple';
          const argText = deparseExpr(args[0]) ?? target.columns[0] ?? '';
          target.access.fts.push({ expr: `to_tsvector('${config.replace(/'/g, "''")}'::regconfig, ${argText})`, columns: target.columns, rewrite: true });
        }
      }
      return;
    }
    if ((op === '=' || RANGE_OPS.has(op)) && isValue(r, scope)) {
      const target = singleTableExpr(l, scope);
      if (target !== undefined) target.access.exprEq.push({ expr: target.expr, columns: target.columns });
    }
  };

  const subqueries = (node: unknown, scope: Scope): void => {
    if (Array.isArray(node)) {
      for (const n of node) subqueries(n, scope);
      return;
    }
    const o = obj(node);
    if (o === undefined) return;
    const sl = obj(o.SubLink);
    if (sl !== undefined) {
      // x IN (SELECT col …): col is probed by equality
      const inner = select(obj(obj(sl.subselect)?.SelectStmt), scope);
      const test = sl.testexpr;
      if (test !== undefined && inner !== undefined && sl.subLinkType === 'ANY_SUBLINK') {
        const first = obj(arr(obj(obj(sl.subselect)?.SelectStmt)?.targetList)[0]);
        const c = resolveColumn(obj(first?.ResTarget)?.val, inner);
        if (c !== undefined && !c.outer) c.access.eq.push(c.column);
      }
      return;
    }
    for (const v of Object.values(o)) subqueries(v, scope);
  };

  const fromItem = (item: unknown, scope: Scope): void => {
    const o = obj(item);
    if (o === undefined) return;
    if (o.RangeVar !== undefined) {
      addRangeVar(obj(o.RangeVar) as Node, scope);
      return;
    }
    const j = obj(o.JoinExpr);
    if (j !== undefined) {
      fromItem(j.larg, scope);
      fromItem(j.rarg, scope);
      if (j.quals !== undefined) predicate(j.quals, scope);
      return;
    }
    const sub = obj(o.RangeSubselect);
    if (sub !== undefined) select(obj(obj(sub.subquery)?.SelectStmt), scope.parent);
  };

  const sortKeys = (items: unknown[], scope: Scope, grouping: boolean): void => {
    const keys = items.map((it) => {
      const sb = obj(obj(it)?.SortBy);
      const node = sb === undefined ? it : sb.node;
      const c = resolveColumn(node, scope);
      return c === undefined || c.outer ? undefined : { access: c.access, column: c.column, desc: sb?.sortby_dir === 'SORTBY_DESC' };
    });
    const first = keys[0];
    if (first === undefined || keys.some((k) => k === undefined || k.access !== first.access)) return;
    for (const k of keys) {
      if (k === undefined) continue;
      if (grouping) first.access.groupBy.push(k.column);
      else first.access.orderBy.push({ column: k.column, desc: k.desc });
    }
  };

  function select(s: Node | undefined, parent: Scope | null): Scope | undefined {
    if (s === undefined) return undefined;
    for (const cte of arr(obj(s.withClause)?.ctes)) select(obj(obj(obj(obj(cte)?.CommonTableExpr)?.ctequery)?.SelectStmt), parent);
    if (s.op !== undefined && s.op !== 'SETOP_NONE') {
      select(obj(obj(s.larg)?.SelectStmt) ?? obj(s.larg), parent);
      select(obj(obj(s.rarg)?.SelectStmt) ?? obj(s.rarg), parent);
      return undefined;
    }
    const scope: Scope = { byAlias: new Map(), accesses: [], parent };
    for (const f of arr(s.fromClause)) fromItem(f, scope);
    if (s.whereClause !== undefined) predicate(s.whereClause, scope);
    targets(arr(s.targetList), scope);
    sortKeys(arr(s.sortClause), scope, false);
    sortKeys(arr(s.groupClause), scope, true);
    for (const c of columnsIn([s.sortClause, s.groupClause, s.havingClause], scope)) c.access.referenced?.add(c.column);
    subqueries([s.targetList, s.havingClause], scope);
    const limit = obj(obj(s.limitCount)?.ParamRef);
    if (limit !== undefined && !shape.params.has(limit.number as number)) shape.params.set(limit.number as number, { table: '', column: '', op: 'limit' });
    const offset = obj(obj(s.limitOffset)?.ParamRef);
    if (offset !== undefined && !shape.params.has(offset.number as number)) shape.params.set(offset.number as number, { table: '', column: '', op: 'offset' });
    return scope;
  }

  function targets(list: unknown[], scope: Scope): void {
    for (const t of list) {
      const val = obj(obj(t)?.ResTarget)?.val;
      const cr = obj(obj(val)?.ColumnRef);
      const fields = arr(cr?.fields);
      if (cr !== undefined && obj(fields.at(-1))?.A_Star !== undefined) {
        const q = fields.length >= 2 ? str(fields[fields.length - 2]) : undefined;
        for (const a of q === undefined ? scope.accesses : [scope.byAlias.get(q)].filter((x) => x !== undefined)) a.referenced = null;
        continue;
      }
      for (const c of columnsIn(val, scope)) c.access.referenced?.add(c.column);
    }
  }

  const maxParamIn = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) maxParamIn(n);
      return;
    }
    const o = obj(node);
    if (o === undefined) return;
    const p = obj(o.ParamRef);
    if (p !== undefined) maxParam = Math.max(maxParam, (p.number as number) ?? 0);
    for (const v of Object.values(o)) maxParamIn(v);
  };
  maxParamIn(stmt);

  if (stmt.SelectStmt !== undefined) {
    shape.kind = 'select';
    select(obj(stmt.SelectStmt), null);
  } else if (stmt.UpdateStmt !== undefined) {
    const u = obj(stmt.UpdateStmt) as Node;
    shape.kind = 'update';
    const scope: Scope = { byAlias: new Map(), accesses: [], parent: null };
    const a = addRangeVar(obj(u.relation) as Node, scope);
    for (const f of arr(u.fromClause)) fromItem(f, scope);
    if (u.whereClause !== undefined) predicate(u.whereClause, scope);
    if (a !== undefined) {
      const cols = new Set(arr(u.targetList).map((t) => obj(obj(t)?.ResTarget)?.name as string).filter((n) => n !== undefined));
      shape.updated.set(a.table.qualifiedName, cols);
    }
  } else if (stmt.DeleteStmt !== undefined) {
    const d = obj(stmt.DeleteStmt) as Node;
    shape.kind = 'delete';
    const scope: Scope = { byAlias: new Map(), accesses: [], parent: null };
    addRangeVar(obj(d.relation) as Node, scope);
    for (const f of arr(d.usingClause)) fromItem(f, scope);
    if (d.whereClause !== undefined) predicate(d.whereClause, scope);
  } else if (stmt.InsertStmt !== undefined) {
    const i = obj(stmt.InsertStmt) as Node;
    shape.kind = 'insert';
    const t = resolveTable(obj(i.relation) as Node);
    if (t !== undefined) shape.tables.add(t.qualifiedName);
    select(obj(obj(i.selectStmt)?.SelectStmt), null);
  }
  shape.paramCount = maxParam;
  for (const a of shape.accesses) {
    dedupe(a.eq);
    dedupe(a.range);
  }
  return shape;
}

function dedupe(list: string[]): void {
  const seen = [...new Set(list)];
  list.length = 0;
  list.push(...seen);
}
