import { deparseSync } from 'pgsql-deparser';

/** Small readers over libpg_query's JSON tree, shared by the statement shape and the derived-relation reader. */
export type Node = Record<string, unknown>;

export function obj(v: unknown): Node | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | undefined {
  const s = obj(v)?.String;
  return s === undefined ? undefined : (obj(s)?.sval as string | undefined);
}

export const RANGE_OPS = new Set(['<', '>', '<=', '>=']);
export const GIN_OPS = new Set(['@>', '<@', '?', '?|', '?&', '&&']);

/** The text of a literal (through a cast), or undefined when the node is not one. */
export function constText(node: unknown): string | undefined {
  let o = obj(node);
  if (obj(o?.TypeCast) !== undefined) o = obj(obj(o?.TypeCast)?.arg);
  const c = obj(o?.A_Const);
  if (c === undefined) return undefined;
  if (obj(c.sval) !== undefined) return obj(c.sval)?.sval as string;
  if (obj(c.ival) !== undefined) return String(obj(c.ival)?.ival ?? 0);
  if (obj(c.fval) !== undefined) return String(obj(c.fval)?.fval);
  if (obj(c.boolval) !== undefined) return String(obj(c.boolval)?.boolval ?? false);
  return undefined;
}

/** `ORDER BY 2`: the 1-based position a bare integer constant names, else undefined. */
export function position(node: unknown): number | undefined {
  const c = obj(obj(node)?.A_Const);
  const iv = obj(c?.ival);
  if (c === undefined || iv === undefined) return undefined;
  return (iv.ival as number | undefined) ?? 0;
}

function stripAliases(node: unknown): unknown {
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
}

/** An expression as an index key: table aliases removed (an index names bare columns). */
export function deparseExpr(node: unknown): string | undefined {
  try {
    return deparseSync(stripAliases(node) as never);
  } catch {
    return undefined;
  }
}

export function dedupe(list: string[]): void {
  const seen = [...new Set(list)];
  list.length = 0;
  list.push(...seen);
}

/** The last name of every column reference in an expression. */
export function columnRefNames(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) columnRefNames(n, out);
    return out;
  }
  const o = obj(node);
  if (o === undefined) return out;
  const cr = obj(o.ColumnRef);
  if (cr !== undefined) {
    const last = str(arr(cr.fields).at(-1));
    if (last !== undefined) out.push(last);
    return out;
  }
  for (const v of Object.values(o)) columnRefNames(v, out);
  return out;
}
