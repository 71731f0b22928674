import type { Snapshot, Table, View } from '../model/index.ts';
import { ctesOf, viewSelect } from './derived-relations.ts';
import type { CteDef } from './derived-relations.ts';
import { arr, columnRefNames, dedupe, deparseExpr, obj, position, str } from './shape-ast.ts';
import type { Node } from './shape-ast.ts';
import { readPredicate } from './shape-predicate.ts';
import type { PredicateContext } from './shape-predicate.ts';
import type { DerivedColumn, ParamUse, Resolved, Scope, StatementShape, TableAccess } from './shape-types.ts';

export type { ExprUse, ParamUse, StatementShape, TableAccess } from './shape-types.ts';

const OPAQUE: DerivedColumn = { direct: undefined, uses: [] };
const MAX_VIEW_DEPTH = 8;

function newScope(parent: Scope | null, ctes: ReadonlyMap<string, CteDef> = new Map()): Scope {
  return { byAlias: new Map(), derived: new Map(), accesses: [], members: [], ctes, parent };
}

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

  const viewByName = new Map((snapshot.views ?? []).map((v) => [`${v.schema}.${v.name}`, v]));
  const resolveView = (rv: Node): View | undefined => {
    const schema = rv.schemaname as string | undefined;
    for (const s of schema === undefined ? searchPath : [schema]) {
      const v = viewByName.get(`${s}.${rv.relname as string}`);
      if (v !== undefined) return v;
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
    if (table === undefined) return undefined;
    const a = newAccess(table);
    const alias = (obj(rv.alias)?.aliasname as string | undefined) ?? (rv.relname as string);
    scope.byAlias.set(alias, a);
    scope.accesses.push(a);
    scope.members.push(a);
    return a;
  };

  /**
   * Column reference → the base column it names, through subqueries, views and CTEs (`direct`), or
   * the columns an output expression reads (`uses`); searches enclosing scopes for correlated references.
   */
  const lookup = (node: unknown, scope: Scope): (DerivedColumn & { outer: boolean }) | undefined => {
    const cr = obj(obj(node)?.ColumnRef);
    if (cr === undefined) return undefined;
    const fields = arr(cr.fields).map(str);
    if (fields.some((f) => f === undefined)) return undefined;
    const column = fields[fields.length - 1] as string;
    const qualifier = fields.length >= 2 ? (fields[fields.length - 2] as string) : undefined;
    for (let s: Scope | null = scope, outer = false; s !== null; s = s.parent, outer = true) {
      if (qualifier !== undefined) {
        const a = s.byAlias.get(qualifier);
        if (a !== undefined) return { direct: { access: a, column }, uses: [{ access: a, column }], outer };
        const d = s.derived.get(qualifier);
        if (d !== undefined) return { ...(d.columns.get(column) ?? OPAQUE), outer };
        continue;
      }
      const a = s.accesses.find((x) => x.table.columns.some((c) => c.name === column));
      if (a !== undefined) return { direct: { access: a, column }, uses: [{ access: a, column }], outer };
      for (const d of s.derived.values()) {
        const c = d.columns.get(column);
        if (c !== undefined) return { ...c, outer };
      }
    }
    return undefined;
  };

  const resolveColumn = (node: unknown, scope: Scope): { access: TableAccess; column: string; outer: boolean } | undefined => {
    const r = lookup(node, scope);
    return r?.direct === undefined ? undefined : { ...r.direct, outer: r.outer };
  };

  const columnsIn = (node: unknown, scope: Scope, out: Resolved[] = []): Resolved[] => {
    if (Array.isArray(node)) {
      for (const n of node) columnsIn(n, scope, out);
      return out;
    }
    const o = obj(node);
    if (o === undefined) return out;
    if (o.ColumnRef !== undefined) {
      out.push(...(lookup(o, scope)?.uses ?? []));
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
    return columnsIn(o, scope).every((c) => !scope.members.includes(c.access));
  };

  const singleTableExpr = (node: unknown, scope: Scope): { access: TableAccess; expr: string; columns: string[] } | undefined => {
    const cols = columnsIn(node, scope).filter((c) => scope.members.includes(c.access));
    const first = cols[0];
    if (first === undefined || cols.some((c) => c.access !== first.access)) return undefined;
    // through a view or subquery the name used may not be the table's: the key must name the table's column
    if (columnRefNames(node).some((n) => !cols.some((c) => c.column === n))) return undefined;
    const expr = deparseExpr(node);
    return expr === undefined ? undefined : { access: first.access, expr, columns: [...new Set(cols.map((c) => c.column))] };
  };

  const predicate = (node: unknown, scope: Scope): void => {
    readPredicate(ctx, node, scope);
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

  const findCte = (name: string, scope: Scope | null): CteDef | undefined => {
    for (let s = scope; s !== null; s = s.parent) {
      const c = s.ctes.get(name);
      if (c !== undefined) return c;
    }
    return undefined;
  };

  /**
   * A subquery, view or inlined CTE in FROM. When the planner flattens it (no LIMIT/OFFSET, no set
   * operation, not a security barrier) its tables join this level and outer predicates on its
   * output columns reach them; otherwise its outputs are opaque from outside.
   */
  const derivedItem = (q: Node | undefined, alias: string, colnames: readonly string[], scope: Scope, flatten: boolean, innerParent: Scope | null): void => {
    const pull = flatten && q !== undefined && q.limitCount === undefined && q.limitOffset === undefined && (q.op === undefined || q.op === 'SETOP_NONE');
    const inner = select(q, innerParent, pull);
    const columns = new Map<string, DerivedColumn>();
    if (inner !== undefined && q !== undefined) for (const [name, col] of outputs(q, inner, colnames)) columns.set(name, pull ? col : OPAQUE);
    const members = pull && inner !== undefined ? inner.members : [];
    scope.members.push(...members);
    scope.derived.set(alias, { columns, members });
  };

  let viewDepth = 0;
  const relation = (rv: Node, scope: Scope): void => {
    const name = rv.relname as string;
    const alias = (obj(rv.alias)?.aliasname as string | undefined) ?? name;
    const cte = rv.schemaname === undefined ? findCte(name, scope) : undefined;
    if (cte !== undefined) {
      if (cte.inline) derivedItem(cte.query, alias, cte.colnames, scope, true, scope.parent);
      else scope.derived.set(alias, { columns: new Map(cte.colnames.map((c) => [c, OPAQUE])), members: [] });
      return;
    }
    if (addRangeVar(rv, scope) !== undefined) return;
    const view = resolveView(rv);
    if (view === undefined || viewDepth >= MAX_VIEW_DEPTH) {
      shape.unknownTables.push(name);
      return;
    }
    viewDepth++;
    derivedItem(viewSelect(view), alias, [], scope, !view.securityBarrier, null);
    viewDepth--;
  };

  const fromItem = (item: unknown, scope: Scope): void => {
    const o = obj(item);
    if (o === undefined) return;
    if (o.RangeVar !== undefined) {
      relation(obj(o.RangeVar) as Node, scope);
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
    if (sub === undefined) return;
    const alias = obj(sub.alias);
    const colnames = arr(alias?.colnames).map((x) => str(x) ?? '');
    derivedItem(obj(obj(sub.subquery)?.SelectStmt), (alias?.aliasname as string | undefined) ?? '', colnames, scope, true, sub.lateral === true ? scope : scope.parent);
  };

  /** What `ORDER BY 2`, `ORDER BY alias` or `GROUP BY alias` stands for: the select-list expression. */
  const sortTarget = (node: unknown, list: unknown[], scope: Scope, grouping: boolean): unknown => {
    const pos = position(node);
    if (pos !== undefined) return obj(obj(list[pos - 1])?.ResTarget)?.val ?? node;
    const fields = arr(obj(obj(node)?.ColumnRef)?.fields);
    const name = fields.length === 1 ? str(fields[0]) : undefined;
    if (name === undefined || (grouping && resolveColumn(node, scope) !== undefined)) return node;
    // ORDER BY prefers an output name; GROUP BY an input column (PostgreSQL's rules)
    const t = list.map((x) => obj(obj(x)?.ResTarget)).find((r) => r?.name === name);
    return t?.val ?? node;
  };

  const sortKeys = (items: unknown[], scope: Scope, grouping: boolean, list: unknown[]): void => {
    const keys = items.map((it) => {
      const sb = obj(obj(it)?.SortBy);
      const node = sortTarget(sb === undefined ? it : sb.node, list, scope, grouping);
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

  /** The WITH clause's CTEs in a scope of their own; those not inlined are read here, once, as the planner computes them apart. */
  const withScope = (withClause: unknown, statement: Node, parent: Scope | null): Scope => {
    if (withClause === undefined) return parent ?? newScope(null);
    const scope = newScope(parent, ctesOf(withClause, statement, snapshot.server.major));
    for (const cte of scope.ctes.values()) if (!cte.inline) select(cte.query, scope);
    return scope;
  };

  /**
   * `pulled`: the query is flattened into an outer one, so only the columns the outer query uses
   * count as read (through its output columns), not its whole select list.
   */
  function select(s: Node | undefined, parent: Scope | null, pulled = false): Scope | undefined {
    if (s === undefined) return undefined;
    const outer = s.withClause === undefined ? parent : withScope(s.withClause, s, parent);
    if (s.op !== undefined && s.op !== 'SETOP_NONE') {
      select(obj(obj(s.larg)?.SelectStmt) ?? obj(s.larg), outer);
      select(obj(obj(s.rarg)?.SelectStmt) ?? obj(s.rarg), outer);
      return undefined;
    }
    const scope = newScope(outer);
    for (const f of arr(s.fromClause)) fromItem(f, scope);
    if (s.whereClause !== undefined) predicate(s.whereClause, scope);
    const list = arr(s.targetList);
    if (!pulled) targets(list, scope);
    sortKeys(arr(s.sortClause), scope, false, list);
    sortKeys(arr(s.groupClause), scope, true, list);
    for (const c of columnsIn([s.sortClause, s.groupClause, s.havingClause], scope)) c.access.referenced?.add(c.column);
    subqueries([s.targetList, s.havingClause], scope);
    const limit = obj(obj(s.limitCount)?.ParamRef);
    if (limit !== undefined && !shape.params.has(limit.number as number)) shape.params.set(limit.number as number, { table: '', column: '', op: 'limit' });
    const offset = obj(obj(s.limitOffset)?.ParamRef);
    if (offset !== undefined && !shape.params.has(offset.number as number)) shape.params.set(offset.number as number, { table: '', column: '', op: 'offset' });
    return scope;
  }

  /** `SELECT *` or `SELECT t.*`: the tables behind it (through flattened subqueries too). */
  const starTables = (q: string | undefined, scope: Scope): readonly TableAccess[] => {
    if (q === undefined) return scope.members;
    const a = scope.byAlias.get(q);
    return a !== undefined ? [a] : (scope.derived.get(q)?.members ?? []);
  };

  function targets(list: unknown[], scope: Scope): void {
    for (const t of list) {
      const val = obj(obj(t)?.ResTarget)?.val;
      const cr = obj(obj(val)?.ColumnRef);
      const fields = arr(cr?.fields);
      if (cr !== undefined && obj(fields.at(-1))?.A_Star !== undefined) {
        for (const a of starTables(fields.length >= 2 ? str(fields[fields.length - 2]) : undefined, scope)) a.referenced = null;
        continue;
      }
      for (const c of columnsIn(val, scope)) c.access.referenced?.add(c.column);
    }
  }

  /** A query's output columns by name (`colnames` renames them, as `AS x(a, b)` or `WITH x(a, b)` do). */
  function outputs(q: Node, scope: Scope, colnames: readonly string[]): Map<string, DerivedColumn> {
    const out = new Map<string, DerivedColumn>();
    let i = 0;
    const add = (name: string, col: DerivedColumn): void => {
      out.set(colnames[i] ?? name, col);
      i++;
    };
    for (const t of arr(q.targetList)) {
      const rt = obj(obj(t)?.ResTarget);
      const fields = arr(obj(obj(rt?.val)?.ColumnRef)?.fields);
      if (obj(fields.at(-1))?.A_Star !== undefined) {
        for (const a of starTables(fields.length >= 2 ? str(fields[fields.length - 2]) : undefined, scope))
          for (const c of a.table.columns) add(c.name, { direct: { access: a, column: c.name }, uses: [{ access: a, column: c.name }] });
        continue;
      }
      const name = (rt?.name as string | undefined) ?? (fields.length > 0 ? str(fields.at(-1)) : undefined) ?? `?column${i}?`;
      const r = lookup(rt?.val, scope);
      add(name, r !== undefined && !r.outer ? { direct: r.direct, uses: r.uses } : { direct: undefined, uses: columnsIn(rt?.val, scope) });
    }
    return out;
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

  const ctx: PredicateContext = { snapshot, resolveColumn, columnsIn, isValue, noteParam, singleTableExpr, subqueries };
  /** the written table of UPDATE/DELETE, and its FROM/USING and WHERE */
  const dml = (d: Node, from: unknown[]): TableAccess | undefined => {
    const scope = newScope(null, d.withClause === undefined ? new Map() : withScope(d.withClause, d, null).ctes);
    const a = addRangeVar(obj(d.relation) as Node, scope);
    if (a === undefined) shape.unknownTables.push(String(obj(d.relation)?.relname));
    for (const f of from) fromItem(f, scope);
    if (d.whereClause !== undefined) predicate(d.whereClause, scope);
    return a;
  };

  if (stmt.SelectStmt !== undefined) {
    shape.kind = 'select';
    select(obj(stmt.SelectStmt), null);
  } else if (stmt.UpdateStmt !== undefined) {
    const u = obj(stmt.UpdateStmt) as Node;
    shape.kind = 'update';
    const a = dml(u, arr(u.fromClause));
    if (a !== undefined) {
      const cols = new Set(arr(u.targetList).map((t) => obj(obj(t)?.ResTarget)?.name as string).filter((n) => n !== undefined));
      shape.updated.set(a.table.qualifiedName, cols);
    }
  } else if (stmt.DeleteStmt !== undefined) {
    const d = obj(stmt.DeleteStmt) as Node;
    shape.kind = 'delete';
    dml(d, arr(d.usingClause));
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
