import type { Snapshot } from '../model/index.ts';
import { GIN_OPS, RANGE_OPS, arr, constText, deparseExpr, obj, str } from './shape-ast.ts';
import type { ParamUse, Resolved, Scope, TableAccess } from './shape-types.ts';

/** What reading a condition needs from the statement walker (column resolution through its scopes). */
export interface PredicateContext {
  readonly snapshot: Snapshot;
  readonly resolveColumn: (node: unknown, scope: Scope) => (Resolved & { outer: boolean }) | undefined;
  readonly columnsIn: (node: unknown, scope: Scope) => Resolved[];
  readonly isValue: (node: unknown, scope: Scope) => boolean;
  readonly noteParam: (node: unknown, use: Omit<ParamUse, 'op'> | null, op: ParamUse['op']) => void;
  readonly singleTableExpr: (node: unknown, scope: Scope) => { access: TableAccess; expr: string; columns: string[] } | undefined;
  readonly subqueries: (node: unknown, scope: Scope) => void;
}

const columnType = (a: TableAccess, column: string): string => a.table.columns.find((c) => c.name === column)?.type ?? '';

/**
 * One WHERE/ON condition: equality/range/order go to btree, containment to GIN, leading-wildcard
 * LIKE to trigram GIN, @@ to full-text GIN; AND is split, OR only marks columns as read.
 */
export function readPredicate(ctx: PredicateContext, node: unknown, scope: Scope): void {
  const { resolveColumn, columnsIn, isValue, noteParam, singleTableExpr, subqueries, snapshot } = ctx;
  const predicate = (n: unknown, sc: Scope): void => readPredicate(ctx, n, sc);
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
}

