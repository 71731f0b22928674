import { deparseSync } from 'pgsql-deparser';

/**
 * A libpg_query AST node. The tree is deep protobuf-shaped JSON; rules navigate it structurally
 * and every rewritten statement is parsed again before it is shown, so that re-parse (not the
 * static type) is the check that a rewrite is well formed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Ast = any;

export function clone<T>(node: T): T {
  return structuredClone(node);
}

/** The node's type name, e.g. "SelectStmt" for { SelectStmt: {...} }. */
export function nodeType(node: Ast): string | null {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  return keys.length === 1 ? (keys[0] ?? null) : null;
}

/** Deparses one node (statement or expression) to compact SQL. */
export function sqlOf(node: Ast): string {
  return deparseSync(node, { pretty: false });
}

/** Column reference parts (["p", "price"]); null for a star or a non-column node. */
export function columnRef(node: Ast): string[] | null {
  const fields = node?.ColumnRef?.fields;
  if (!Array.isArray(fields)) return null;
  const parts: string[] = [];
  for (const f of fields) {
    if (typeof f?.String?.sval !== 'string') return null;
    parts.push(f.String.sval as string);
  }
  return parts;
}

export function isStar(node: Ast): boolean {
  const fields = node?.ColumnRef?.fields;
  return Array.isArray(fields) && fields.some((f: Ast) => f?.A_Star !== undefined);
}

/** Lower-case function name without schema (pg_catalog.lower → lower). */
export function funcName(node: Ast): string | null {
  const names = node?.FuncCall?.funcname;
  if (!Array.isArray(names) || names.length === 0) return null;
  const last = names[names.length - 1]?.String?.sval;
  return typeof last === 'string' ? last.toLowerCase() : null;
}

/** Binary operator name of an A_Expr of kind AEXPR_OP. */
export function opName(node: Ast): string | null {
  const e = node?.A_Expr;
  if (e === undefined || e.kind !== 'AEXPR_OP' || !Array.isArray(e.name)) return null;
  const s = e.name[e.name.length - 1]?.String?.sval;
  return typeof s === 'string' ? s : null;
}

/** Top-level AND conjuncts of a boolean expression. */
export function conjuncts(where: Ast): Ast[] {
  if (where === undefined || where === null) return [];
  if (where.BoolExpr?.boolop === 'AND_EXPR') return (where.BoolExpr.args as Ast[]).flatMap(conjuncts);
  return [where];
}

export function andOf(parts: readonly Ast[]): Ast {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return { BoolExpr: { boolop: 'AND_EXPR', args: [...parts] } };
}

export function mkColumnRef(parts: readonly string[]): Ast {
  return { ColumnRef: { fields: parts.map((p) => ({ String: { sval: p } })) } };
}

export function mkStarRef(qualifier?: string): Ast {
  return { ColumnRef: { fields: [...(qualifier === undefined ? [] : [{ String: { sval: qualifier } }]), { A_Star: {} }] } };
}

export function mkOp(op: string, left: Ast, right: Ast): Ast {
  return { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: op } }], lexpr: left, rexpr: right } };
}

export function mkInt(n: number): Ast {
  return { A_Const: { ival: n === 0 ? {} : { ival: n } } };
}

/** Visits every node depth-first; the visitor may return false to skip a subtree. */
export function walk(node: Ast, visit: (node: Ast, key: string | null) => boolean | void, key: string | null = null): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, key);
    return;
  }
  if (visit(node, key) === false) return;
  for (const [k, child] of Object.entries(node)) {
    if (child !== null && typeof child === 'object') walk(child, visit, k);
  }
}

/** Replaces, in place, every node for which replace returns a value. */
export function replaceNodes(node: Ast, replace: (node: Ast) => Ast | undefined): Ast {
  const r = replace(node);
  if (r !== undefined) return r;
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((c) => replaceNodes(c, replace));
  for (const [k, child] of Object.entries(node)) {
    if (child !== null && typeof child === 'object') node[k] = replaceNodes(child, replace);
  }
  return node;
}

/** Structural equality, ignoring source locations. */
export function sameNode(a: Ast, b: Ast): boolean {
  return JSON.stringify(stripLocations(a)) === JSON.stringify(stripLocations(b));
}

export function stripLocations(node: Ast): Ast {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(stripLocations);
  const out: Record<string, Ast> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'location' && k !== 'stmt_location' && k !== 'stmt_len') out[k] = stripLocations(v);
  return out;
}

export function containsNodeType(node: Ast, type: string): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n[type] !== undefined) found = true;
    return !found;
  });
  return found;
}

/** Highest $n used in a tree (0 when none). */
export function maxParam(node: Ast): number {
  let max = 0;
  walk(node, (n) => {
    const p = n.ParamRef?.number;
    if (typeof p === 'number' && p > max) max = p;
  });
  return max;
}

/** Constant value of an A_Const as text (null for NULL, undefined when not a constant). */
export function constText(node: Ast): string | null | undefined {
  const c = node?.A_Const;
  if (c === undefined) {
    const cast = node?.TypeCast;
    if (cast !== undefined) return constText(cast.arg);
    return undefined;
  }
  if (c.isnull === true) return null;
  if (c.ival !== undefined) return String(c.ival.ival ?? 0);
  if (c.fval !== undefined) return String(c.fval.fval);
  if (c.sval !== undefined) return String(c.sval.sval ?? '');
  if (c.boolval !== undefined) return String(c.boolval.boolval === true);
  return undefined;
}

export function isConst(node: Ast): boolean {
  return node?.A_Const !== undefined || (node?.TypeCast !== undefined && node.TypeCast.arg?.A_Const !== undefined);
}

/** A FROM item that is a plain table: its name and the name columns are qualified with. */
export interface FromTable {
  readonly schema: string | null;
  readonly name: string;
  /** alias, else the table name */
  readonly ref: string;
  readonly node: Ast;
}

export function fromTable(item: Ast): FromTable | null {
  const rv = item?.RangeVar;
  if (rv === undefined || typeof rv.relname !== 'string') return null;
  return { schema: typeof rv.schemaname === 'string' ? rv.schemaname : null, name: rv.relname, ref: rv.alias?.aliasname ?? rv.relname, node: item };
}

/** The FROM items when every one of them is a plain table (no joins, functions or subqueries). */
export function plainFromTables(select: Ast): FromTable[] | null {
  const from = select?.fromClause;
  if (!Array.isArray(from) || from.length === 0) return null;
  const out: FromTable[] = [];
  for (const item of from) {
    const t = fromTable(item);
    if (t === null) return null;
    out.push(t);
  }
  return out;
}

/** Column references inside node whose first part names one of the given qualifiers. */
export function refsTo(node: Ast, qualifiers: ReadonlySet<string>): string[][] {
  const out: string[][] = [];
  walk(node, (n) => {
    const parts = columnRef(n);
    if (parts !== null && parts.length >= 2 && qualifiers.has(parts[parts.length - 2] ?? '')) out.push(parts);
  });
  return out;
}

/** A plain SELECT (not a set operation) without the clauses that make row-level rewrites unsafe. */
export function isSimpleSelect(select: Ast): boolean {
  return (
    select !== undefined &&
    (select.op === undefined || select.op === 'SETOP_NONE') &&
    select.valuesLists === undefined &&
    select.lockingClause === undefined &&
    select.intoClause === undefined
  );
}

export function hasAggregateOrWindow(select: Ast): boolean {
  if (select.groupClause !== undefined || select.havingClause !== undefined) return true;
  let found = false;
  for (const target of select.targetList ?? []) {
    walk(target, (n) => {
      if (n.SubLink !== undefined) return false;
      const name = funcName(n);
      if (n.FuncCall?.over !== undefined || (name !== null && AGGREGATES.has(name))) found = true;
      return !found;
    });
  }
  return found;
}

export const AGGREGATES: ReadonlySet<string> = new Set([
  'avg', 'sum', 'min', 'max', 'count', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'every', 'json_agg', 'jsonb_agg',
  'stddev', 'variance', 'stddev_pop', 'stddev_samp', 'var_pop', 'var_samp', 'bit_and', 'bit_or',
]);

/**
 * Qualifies single-name column references of a SELECT's own target list and WHERE with ref, without
 * entering subqueries (their names belong to them). Used before a rewrite adds a FROM item whose
 * column names could make an unqualified reference ambiguous.
 */
export function qualifyOwnColumns(select: Ast, ref: string): void {
  const fix = (node: Ast): Ast =>
    replaceNodes(node, (n) => {
      // x IN (subquery): x is ours, the subquery's names are its own
      if (n?.SubLink !== undefined) {
        if (n.SubLink.testexpr !== undefined) n.SubLink.testexpr = fix(n.SubLink.testexpr);
        return n;
      }
      if (n?.RangeSubselect !== undefined) return n;
      const parts = columnRef(n);
      return parts !== null && parts.length === 1 ? mkColumnRef([ref, parts[0] as string]) : undefined;
    });
  if (Array.isArray(select.targetList)) {
    for (const t of select.targetList) if (t.ResTarget?.val !== undefined) t.ResTarget.val = fix(t.ResTarget.val);
  }
  if (select.whereClause !== undefined) select.whereClause = fix(select.whereClause);
}
