import { parseSync } from 'libpg-query';
import type { AstNode } from '../migrate/pg-ast.ts';
import { child, list, strings, text, walk } from '../migrate/pg-ast.ts';
import { withSuffix } from '../sql/quote.ts';

/** A count computed per read: count over `child` rows that point (directly or through `via`) at `parent`. */
export interface CountPerRead {
  readonly parent: string;
  readonly parentAlias: string;
  readonly parentKey: string;
  readonly child: string;
  readonly childFk: string;
  /** two-hop counts: child → via → parent (likes → posts → users) */
  readonly via: { readonly table: string; readonly key: string; readonly fk: string } | null;
  /** output name of the aggregate (AS comment_count), or a derived one */
  readonly name: string;
  readonly distinct: boolean;
  readonly form: 'subquery' | 'group-by';
  /** count(*) / count(x), or sum(x.column) */
  readonly aggregate: 'count' | 'sum';
  readonly valueColumn: string | null;
}

export interface ReadPattern {
  readonly tables: readonly string[];
  readonly joins: number;
  readonly counts: readonly CountPerRead[];
}

interface Rel {
  readonly alias: string;
  readonly table: string;
}

interface Edge {
  readonly a: string;
  readonly aCol: string;
  readonly b: string;
  readonly bCol: string;
}

function colRef(n: unknown): [string, string] | null {
  const f = strings(child(n, 'ColumnRef')?.fields);
  return f.length === 2 ? [f[0] as string, f[1] as string] : null;
}

function equalities(expr: unknown): Edge[] {
  const out: Edge[] = [];
  walk({ e: expr }, (k, n) => {
    if (k !== 'A_Expr' || text(n, 'kind') !== 'AEXPR_OP' || strings(n.name)[0] !== '=') return;
    const l = colRef(n.lexpr);
    const r = colRef(n.rexpr);
    if (l !== null && r !== null) out.push({ a: l[0], aCol: l[1], b: r[0], bCol: r[1] });
  });
  return out;
}

function relations(from: unknown, rels: Rel[], edges: Edge[]): void {
  for (const item of list(from)) {
    const rv = child(item, 'RangeVar');
    if (rv !== undefined) {
      const table = text(rv, 'relname') ?? '?';
      rels.push({ alias: text(child(rv, 'alias'), 'aliasname') ?? table, table });
      continue;
    }
    const j = child(item, 'JoinExpr');
    if (j !== undefined) {
      relations([j.larg], rels, edges);
      relations([j.rarg], rels, edges);
      edges.push(...equalities(j.quals));
    }
  }
}

function countName(target: AstNode | undefined, childTable: string, agg: 'count' | 'sum'): string {
  return text(target, 'name') ?? withSuffix(childTable, agg === 'sum' ? '_sum' : '_count');
}

/** Reads a SELECT and finds per-row counts of child tables (correlated subqueries or LEFT JOIN + GROUP BY). */
export function readPattern(sql: string): ReadPattern | null {
  let stmt: AstNode | undefined;
  try {
    stmt = child((parseSync(sql) as { stmts?: { stmt?: AstNode }[] }).stmts?.[0]?.stmt, 'SelectStmt');
  } catch {
    return null;
  }
  if (stmt === undefined) return null;
  const rels: Rel[] = [];
  const edges: Edge[] = [];
  relations(stmt.fromClause, rels, edges);
  edges.push(...equalities(stmt.whereClause));
  const byAlias = new Map(rels.map((r) => [r.alias, r]));
  const counts: CountPerRead[] = [];
  const grouped = list(stmt.groupClause).length > 0;
  for (const t of list(stmt.targetList)) {
    const rt = child(t, 'ResTarget');
    const val = rt?.val;
    const sub = child(child(val, 'SubLink')?.subselect, 'SelectStmt');
    if (sub !== undefined) {
      // (SELECT count(*) FROM comments c WHERE c.post_id = p.id)
      const fn = child(child(list(sub.targetList)[0], 'ResTarget')?.val, 'FuncCall');
      const agg = strings(fn?.funcname).pop();
      if (fn === undefined || (agg !== 'count' && agg !== 'sum')) continue;
      const summed = agg === 'sum' ? colRef(list(fn.args)[0]) : null;
      if (agg === 'sum' && summed === null) continue;
      const inner: Rel[] = [];
      const innerEdges: Edge[] = [];
      relations(sub.fromClause, inner, innerEdges);
      innerEdges.push(...equalities(sub.whereClause));
      const c = inner[0];
      if (c === undefined || inner.length !== 1) continue;
      for (const e of innerEdges) {
        const [ca, cc, pa, pc] = e.a === c.alias ? [e.a, e.aCol, e.b, e.bCol] : [e.b, e.bCol, e.a, e.aCol];
        const p = byAlias.get(pa);
        if (ca !== c.alias || p === undefined) continue;
        counts.push({ parent: p.table, parentAlias: p.alias, parentKey: pc, child: c.table, childFk: cc, via: null, name: countName(rt, c.table, agg), distinct: false, form: 'subquery', aggregate: agg, valueColumn: summed?.[1] ?? null });
      }
      continue;
    }
    const fn = child(val, 'FuncCall');
    const agg = strings(fn?.funcname).pop();
    if (fn === undefined || (agg !== 'count' && agg !== 'sum') || !grouped) continue;
    const arg = colRef(list(fn.args)[0]);
    const valueColumn = agg === 'sum' ? (arg?.[1] ?? null) : null;
    if (agg === 'sum' && valueColumn === null) continue;
    const c = arg === null ? undefined : byAlias.get(arg[0]);
    if (c === undefined) continue;
    // the GROUP BY table is the parent: find the edge path child → parent (one or two hops)
    const groupAliases = list(stmt.groupClause).map((g) => colRef(g)?.[0]).filter((a): a is string => a !== undefined);
    const parentAlias = groupAliases.find((a) => a !== c.alias);
    const p = parentAlias === undefined ? undefined : byAlias.get(parentAlias);
    if (p === undefined) continue;
    const edge = (x: string, y: string): { xCol: string; yCol: string } | null => {
      for (const e of edges) {
        if (e.a === x && e.b === y) return { xCol: e.aCol, yCol: e.bCol };
        if (e.b === x && e.a === y) return { xCol: e.bCol, yCol: e.aCol };
      }
      return null;
    };
    const direct = edge(c.alias, p.alias);
    if (direct !== null) {
      counts.push({ parent: p.table, parentAlias: p.alias, parentKey: direct.yCol, child: c.table, childFk: direct.xCol, via: null, name: countName(rt, c.table, agg), distinct: fn.agg_distinct === true, form: 'group-by', aggregate: agg, valueColumn });
      continue;
    }
    for (const mid of rels) {
      if (mid.alias === c.alias || mid.alias === p.alias) continue;
      const a = edge(c.alias, mid.alias);
      const b = edge(mid.alias, p.alias);
      if (a !== null && b !== null) {
        counts.push({ parent: p.table, parentAlias: p.alias, parentKey: b.yCol, child: c.table, childFk: a.xCol, via: { table: mid.table, key: a.yCol, fk: b.xCol }, name: countName(rt, c.table, agg), distinct: fn.agg_distinct === true, form: 'group-by', aggregate: agg, valueColumn });
        break;
      }
    }
  }
  return { tables: [...new Set(rels.map((r) => r.table))], joins: Math.max(0, rels.length - 1), counts };
}

/** Table written by an INSERT/UPDATE/DELETE statement, with its kind. */
export function writeTarget(sql: string): { table: string; kind: 'insert' | 'update' | 'delete' } | null {
  try {
    const s = (parseSync(sql) as { stmts?: { stmt?: AstNode }[] }).stmts?.[0]?.stmt;
    for (const [k, kind] of [['InsertStmt', 'insert'], ['UpdateStmt', 'update'], ['DeleteStmt', 'delete']] as const) {
      const n = child(s, k);
      if (n !== undefined) return { table: text(child(n, 'relation'), 'relname') ?? '?', kind };
    }
  } catch {
    return null;
  }
  return null;
}
