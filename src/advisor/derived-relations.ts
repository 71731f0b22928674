import type { View } from '../model/index.ts';
import { tryParseSql } from '../sql/index.ts';
import { arr, obj, str } from './shape-ast.ts';
import type { Node } from './shape-ast.ts';

/** One WITH query, and whether the planner folds it into the query that reads it. */
export interface CteDef {
  readonly name: string;
  /** the SELECT body; undefined for a data-modifying CTE (INSERT/UPDATE/DELETE … RETURNING) */
  readonly query: Node | undefined;
  /** PostgreSQL 12+ inlines it: predicates from the outer query reach its tables */
  readonly inline: boolean;
  readonly colnames: readonly string[];
}

/** Functions whose volatility stops PostgreSQL from inlining a CTE (contain_volatile_functions). */
const VOLATILE = /^(random|random_normal|setseed|nextval|setval|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]|txid_current|pg_sleep\w*)$/i;

function walk(node: unknown, visit: (o: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  const o = obj(node);
  if (o === undefined) return;
  visit(o);
  for (const v of Object.values(o)) walk(v, visit);
}

function references(node: unknown, name: string): number {
  let n = 0;
  walk(node, (o) => {
    const rv = obj(o.RangeVar);
    if (rv !== undefined && rv.schemaname === undefined && rv.relname === name) n++;
  });
  return n;
}

function hasVolatile(node: unknown): boolean {
  let found = false;
  walk(node, (o) => {
    const fn = obj(o.FuncCall);
    if (fn !== undefined && VOLATILE.test(str(arr(fn.funcname).at(-1)) ?? '')) found = true;
  });
  return found;
}

/**
 * The CTEs of a WITH clause, each marked as the planner treats it (PostgreSQL 12+): a plain SELECT
 * referenced once, or NOT MATERIALIZED, with no volatile function and no self-reference, is inlined;
 * MATERIALIZED, multiply referenced, recursive or data-modifying ones are computed apart.
 */
export function ctesOf(withClause: unknown, statement: unknown, major: number): Map<string, CteDef> {
  const out = new Map<string, CteDef>();
  const w = obj(withClause);
  for (const c of arr(w?.ctes)) {
    const cte = obj(obj(c)?.CommonTableExpr);
    if (cte === undefined) continue;
    const name = cte.ctename as string;
    const query = obj(obj(cte.ctequery)?.SelectStmt);
    const self = references(query, name);
    const refs = references(statement, name) - self;
    const materialized = (cte.ctematerialized as string | undefined) ?? 'CTEMaterializeDefault';
    const inline =
      major >= 12 &&
      query !== undefined &&
      self === 0 &&
      !hasVolatile(query) &&
      (materialized === 'CTEMaterializeNever' || (materialized === 'CTEMaterializeDefault' && refs === 1));
    out.set(name, { name, query, inline, colnames: arr(cte.aliascolnames).map((x) => str(x) ?? '') });
  }
  return out;
}

const parsedViews = new Map<string, Node | undefined>();

/** The SELECT a view stands for, parsed once per definition; undefined when it does not parse. */
export function viewSelect(view: View): Node | undefined {
  if (parsedViews.has(view.definition)) return parsedViews.get(view.definition);
  const p = tryParseSql(view.definition);
  const stmt = p.ok ? obj(obj(p.result.stmts?.[0]?.stmt)?.SelectStmt) : undefined;
  parsedViews.set(view.definition, stmt);
  return stmt;
}
