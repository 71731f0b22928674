import { tryParseSql } from '../sql/index.ts';

export type TermKind = 'eq' | 'range' | 'null' | 'other';

/** One conjunct of a plan's Filter / Index Cond: a column compared to something. */
export interface PredicateTerm {
  readonly column: string;
  /** table alias the column is qualified with, if any */
  readonly qualifier: string | null;
  readonly kind: TermKind;
  /** the column is inside a function call or a non-trivial cast: "lower(email)", "created_at::date" */
  readonly wrapped: string | null;
  /** what the column is compared with */
  readonly other: 'constant' | 'param' | 'column' | 'expression';
  /** qualifier of the column on the other side (join conditions) */
  readonly otherQualifier: string | null;
  readonly otherColumn: string | null;
}

type Ast = Record<string, unknown>;

// casts that keep a btree on the column usable (varchar/char compared as text)
const TRANSPARENT_CASTS = new Set(['text', 'varchar', 'bpchar', 'character varying', 'name']);
const EQ = new Set(['=']);
const RANGE = new Set(['<', '<=', '>', '>=']);

function sval(n: unknown): string {
  const s = (n as { String?: { sval?: string } }).String?.sval;
  return s ?? '';
}

interface ColumnInfo {
  column: string;
  qualifier: string | null;
  wrapped: string | null;
}

function columnOf(node: unknown): ColumnInfo | null {
  if (typeof node !== 'object' || node === null) return null;
  const n = node as Ast;
  if (n.ColumnRef !== undefined) {
    const fields = ((n.ColumnRef as Ast).fields as unknown[]).map(sval);
    if (fields.some((f) => f === '')) return null;
    const column = fields.at(-1) as string;
    return { column, qualifier: fields.length > 1 ? (fields.at(-2) as string) : null, wrapped: null };
  }
  if (n.TypeCast !== undefined) {
    const tc = n.TypeCast as Ast;
    const inner = columnOf(tc.arg);
    if (inner === null) return null;
    const typeNames = (((tc.typeName as Ast).names as unknown[]) ?? []).map(sval).filter((x) => x !== 'pg_catalog');
    const type = typeNames.join('.');
    if (TRANSPARENT_CASTS.has(type) && inner.wrapped === null) return inner;
    return { ...inner, wrapped: `(${inner.wrapped ?? inner.column})::${type}` };
  }
  if (n.FuncCall !== undefined) {
    const fc = n.FuncCall as Ast;
    const args = (fc.args as unknown[] | undefined) ?? [];
    if (args.length !== 1) return null;
    const inner = columnOf(args[0]);
    if (inner === null) return null;
    const name = ((fc.funcname as unknown[]) ?? []).map(sval).filter((x) => x !== 'pg_catalog').join('.');
    return { ...inner, wrapped: `${name}(${inner.wrapped ?? inner.column})` };
  }
  return null;
}

function otherKind(node: unknown): { other: PredicateTerm['other']; col: ColumnInfo | null } {
  if (typeof node !== 'object' || node === null) return { other: 'expression', col: null };
  const n = node as Ast;
  if (n.A_Const !== undefined) return { other: 'constant', col: null };
  if (n.ParamRef !== undefined) return { other: 'param', col: null };
  if (n.TypeCast !== undefined) {
    const inner = otherKind((n.TypeCast as Ast).arg);
    if (inner.other !== 'column') return inner;
  }
  const col = columnOf(node);
  if (col !== null) return { other: 'column', col };
  return { other: 'expression', col: null };
}

function termsOf(node: unknown, out: PredicateTerm[]): void {
  if (typeof node !== 'object' || node === null) return;
  const n = node as Ast;
  if (n.BoolExpr !== undefined) {
    const b = n.BoolExpr as Ast;
    if (b.boolop !== 'AND_EXPR') return;
    for (const a of (b.args as unknown[]) ?? []) termsOf(a, out);
    return;
  }
  if (n.NullTest !== undefined) {
    const col = columnOf((n.NullTest as Ast).arg);
    if (col !== null) out.push({ ...col, kind: 'null', other: 'constant', otherQualifier: null, otherColumn: null });
    return;
  }
  if (n.A_Expr !== undefined) {
    const e = n.A_Expr as Ast;
    const op = ((e.name as unknown[]) ?? []).map(sval).join('.');
    let left = columnOf(e.lexpr);
    let right = otherKind(e.rexpr);
    let flipped = false;
    if (left === null || (right.other === 'column' && left.qualifier === null && right.col?.qualifier === null)) {
      const l2 = columnOf(e.rexpr);
      const r2 = otherKind(e.lexpr);
      if (left === null && l2 !== null) {
        left = l2;
        right = r2;
        flipped = true;
      }
    }
    if (left === null) return;
    let kind: TermKind = 'other';
    if (e.kind === 'AEXPR_OP' && EQ.has(op)) kind = 'eq';
    else if (e.kind === 'AEXPR_OP_ANY' && op === '=') kind = 'eq';
    else if (e.kind === 'AEXPR_IN') kind = 'eq';
    else if (e.kind === 'AEXPR_OP' && RANGE.has(op)) kind = 'range';
    else if (e.kind === 'AEXPR_BETWEEN') kind = 'range';
    void flipped;
    out.push({
      ...left,
      kind,
      other: right.other,
      otherQualifier: right.col?.qualifier ?? null,
      otherColumn: right.col?.column ?? null,
    });
  }
}

/** Plan-internal references ("(SubPlan 1)", "(InitPlan 1).col1", "$0") become parameters so the text parses. */
function sqlable(expr: string): string {
  return expr.replace(/\(?(?:hashed )?(?:Sub|Init)Plan \d+\)?(?:\.col\d+)?/g, '$99');
}

/**
 * The AND-ed terms of a plan condition such as "((status = 'pending'::text) AND (created_at < ...))",
 * parsed with the PostgreSQL grammar; null when it does not parse. The SQL parser must be loaded.
 */
export function predicateTerms(expr: string | null): PredicateTerm[] | null {
  if (expr === null || expr.trim() === '') return null;
  const cached = CACHE.get(expr);
  if (cached !== undefined) return cached === null ? null : [...cached];
  const result = fastTerms(expr) ?? parsedTerms(expr);
  // partitions and loops repeat the same conditions: parse each text once (bounded, deterministic)
  if (CACHE.size >= 20_000) CACHE.clear();
  CACHE.set(expr, result);
  return result === null ? null : [...result];
}

const CACHE = new Map<string, PredicateTerm[] | null>();

const IDENT = String.raw`[a-z_][a-z0-9_$]*`;
const COLUMN = new RegExp(String.raw`^(?:(${IDENT})\.)?(${IDENT})$`);
const SIMPLE = /^\((.+) (=|<>|<|<=|>|>=) (.+)\)$/;
const CONSTANT = /^(?:'(?:[^']|'')*'(?:::[a-z][a-z0-9_ ]*(?:\[\])?)?|-?\d+(?:\.\d+)?(?:::[a-z][a-z0-9_ ]*)?)$/;

/** Splits "((a = 1) AND (b < 2))" into its parenthesized conjuncts; null when it is not that shape. */
function conjuncts(expr: string): string[] | null {
  const inner = expr.startsWith('((') && expr.endsWith('))') ? expr.slice(1, -1) : null;
  if (inner === null) return [expr];
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (quote) {
      if (ch === "'") quote = false;
      continue;
    }
    if (ch === "'") quote = true;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) return null;
    } else if (depth === 0) {
      if (inner.startsWith(' AND ', i)) {
        parts.push(inner.slice(start, i));
        start = i + 5;
        i += 4;
      } else if (ch !== ' ') return null;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}

/**
 * The common shapes — "(col op constant)", "(col = other.col)", "($n)" and AND-ed lists of them —
 * read without the SQL parser (it costs ~0.1 ms a call, too much for plans with thousands of
 * nodes); anything else goes to the real grammar.
 */
function fastTerms(expr: string): PredicateTerm[] | null {
  const parts = conjuncts(expr.trim());
  if (parts === null) return null;
  const out: PredicateTerm[] = [];
  for (const part of parts) {
    const m = SIMPLE.exec(part);
    if (m === null) return null;
    const left = COLUMN.exec(m[1] ?? '');
    const right = m[3] ?? '';
    if (left === null || right.includes(' AND ') || right.includes(' OR ')) return null;
    const op = m[2] ?? '';
    const kind: TermKind = op === '=' ? 'eq' : op === '<>' ? 'other' : 'range';
    const rc = COLUMN.exec(right);
    let other: PredicateTerm['other'];
    if (CONSTANT.test(right)) other = 'constant';
    else if (/^\$\d+$/.test(right)) other = 'param';
    else if (rc !== null) other = 'column';
    else return null;
    out.push({
      column: left[2] ?? '',
      qualifier: left[1] ?? null,
      kind,
      wrapped: null,
      other,
      otherQualifier: rc === null ? null : (rc[1] ?? null),
      otherColumn: rc === null ? null : (rc[2] ?? null),
    });
  }
  return out;
}

function parsedTerms(expr: string): PredicateTerm[] | null {
  let parsed;
  try {
    parsed = tryParseSql(`SELECT 1 WHERE ${sqlable(expr)}`);
  } catch {
    return null;
  }
  if (!parsed.ok) return null;
  const stmt = (parsed.result as { stmts?: { stmt?: { SelectStmt?: { whereClause?: unknown } } }[] }).stmts?.[0]?.stmt?.SelectStmt;
  if (stmt === undefined) return null;
  const out: PredicateTerm[] = [];
  termsOf(stmt.whereClause, out);
  return out;
}

/** Columns for a btree: equality columns first, then at most one range column (in first-seen order). */
export function indexColumnsFor(terms: readonly PredicateTerm[], ownAlias: string | null): string[] {
  const own = terms.filter((t) => t.wrapped === null && (t.qualifier === null || t.qualifier === ownAlias) && t.other !== 'expression');
  const eq = [...new Set(own.filter((t) => t.kind === 'eq' || t.kind === 'null').map((t) => t.column))];
  const range = own.filter((t) => t.kind === 'range' && !eq.includes(t.column)).map((t) => t.column);
  return range[0] === undefined ? eq : [...eq, range[0]];
}
