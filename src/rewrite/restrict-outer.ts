import type { Ast } from './ast.ts';
import { andOf, clone, columnRef, conjuncts, sqlOf, walk } from './ast.ts';

/** The outer relation both statements read at their top level, and how to read a subset of it. */
export interface OuterRestriction {
  readonly schema: string | null;
  readonly table: string;
  readonly ref: string;
  /** the original's conditions on the outer relation alone, applied inside the subset (SQL) */
  readonly pushed: readonly string[];
  /**
   * Both statements with the outer relation replaced by the same deterministic subset: of the rows
   * that meet the pushed conditions ("matching"), or of those that do not ("rest") — the rest is
   * where a rewrite that dropped one of those conditions shows.
   */
  restrict(percent: number, seed: number, part?: SubsetPart): { readonly before: string; readonly after: string; readonly subset: string };
}

export type SubsetPart = 'matching' | 'rest';

interface TopTable {
  readonly rv: Ast;
  readonly schema: string | null;
  readonly name: string;
  readonly ref: string;
}

/** Plain tables of a SELECT's own FROM, including both sides of its joins, not subqueries. */
function topTables(select: Ast): TopTable[] {
  const out: TopTable[] = [];
  const visit = (item: Ast): void => {
    const rv = item?.RangeVar;
    if (rv !== undefined && typeof rv.relname === 'string') {
      out.push({ rv, schema: typeof rv.schemaname === 'string' ? rv.schemaname : null, name: rv.relname, ref: rv.alias?.aliasname ?? rv.relname });
    }
    if (item?.JoinExpr !== undefined) {
      visit(item.JoinExpr.larg);
      visit(item.JoinExpr.rarg);
    }
  };
  for (const item of select?.fromClause ?? []) visit(item);
  return out;
}

function selectOf(stmt: Ast): Ast {
  const s = stmt?.SelectStmt;
  return s !== undefined && (s.op === undefined || s.op === 'SETOP_NONE') ? s : undefined;
}

/**
 * A conjunct that reads only the outer relation and whose subqueries do not refer to it: moving it
 * inside the subset keeps the rows and lets the subset be filtered before any correlated subquery
 * runs (the OFFSET 0 fence below keeps the planner from pulling it back out).
 */
function pushable(conjunct: Ast, ref: string, others: ReadonlySet<string>, singleTable: boolean): boolean {
  let ok = true;
  const visit = (node: Ast, inSublink: boolean): void => {
    walk(node, (n) => {
      if (!ok) return false;
      if (n.SubLink !== undefined && !inSublink) {
        if (n.SubLink.testexpr !== undefined) visit(n.SubLink.testexpr, false);
        visit(n.SubLink.subselect, true);
        return false;
      }
      const parts = columnRef(n);
      if (parts === null) return undefined;
      const qualifier = parts.length >= 2 ? parts[parts.length - 2] : undefined;
      if (inSublink) {
        if (qualifier !== undefined && (qualifier === ref || others.has(qualifier))) ok = false;
      } else if (qualifier === undefined ? !singleTable : qualifier !== ref) ok = false;
      return undefined;
    });
  };
  visit(conjunct, false);
  return ok;
}

function percentText(percent: number): string {
  return String(Math.round(Math.max(0.0001, Math.min(100, percent)) * 10_000) / 10_000);
}

function subsetNode(rv: Ast, pushed: readonly Ast[], percent: number, seed: number, part: SubsetPart): Ast {
  const relation = clone(rv);
  const sampled =
    percent >= 100
      ? { RangeVar: relation }
      : {
          RangeTableSample: {
            relation: { RangeVar: relation },
            method: [{ String: { sval: 'bernoulli' } }],
            args: [{ A_Const: { fval: { fval: percentText(percent) } } }],
            repeatable: { A_Const: { ival: { ival: seed } } },
          },
        };
  const select: Ast = {
    targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }],
    fromClause: [sampled],
    limitOffset: { A_Const: { ival: {} } },
    limitOption: 'LIMIT_OPTION_DEFAULT',
    op: 'SETOP_NONE',
  };
  if (pushed.length > 0) {
    const all = andOf(pushed.map((p) => clone(p)));
    select.whereClause = part === 'matching' ? all : { BooleanTest: { arg: all, booltesttype: 'IS_NOT_TRUE' } };
  }
  return { RangeSubselect: { subquery: { SelectStmt: select }, alias: { aliasname: rv.alias?.aliasname ?? rv.relname } } };
}

function replaceTop(stmt: Ast, target: TopTable, subset: Ast): string {
  const copy = clone(stmt);
  const select = selectOf(copy);
  const swap = (item: Ast): Ast => {
    const rv = item?.RangeVar;
    if (rv !== undefined && rv.relname === target.name && (rv.alias?.aliasname ?? rv.relname) === target.ref) return clone(subset);
    if (item?.JoinExpr !== undefined) {
      item.JoinExpr.larg = swap(item.JoinExpr.larg);
      item.JoinExpr.rarg = swap(item.JoinExpr.rarg);
    }
    return item;
  };
  select.fromClause = select.fromClause.map(swap);
  return sqlOf(copy);
}

/**
 * Picks the outer relation to restrict: a plain table in the original's own FROM that the rewrite
 * also reads at its top level under the same name, once each. Both statements then read the same
 * subset of it while every subquery still reads the whole table, so correlated semantics hold.
 * Returns why not when there is no such table.
 */
export function planOuterRestriction(original: Ast, rewrite: Ast, rowEstimate: (schema: string | null, name: string) => number): OuterRestriction | string {
  const before = selectOf(original);
  const after = selectOf(rewrite);
  if (before === undefined || after === undefined) return 'only a plain SELECT can be restricted to a subset of its outer table';
  const mine = topTables(before);
  const theirs = topTables(after);
  const once = (list: TopTable[], t: TopTable): TopTable | undefined => {
    const same = list.filter((x) => x.ref === t.ref);
    return same.length === 1 && same[0]?.name === t.name && same[0]?.schema === t.schema ? same[0] : undefined;
  };
  const candidates = mine.filter((t) => once(mine, t) !== undefined && once(theirs, t) !== undefined && !Array.isArray(t.rv.alias?.colnames));
  if (candidates.length === 0) return 'the rewrite reads the outer table only inside a derived table (e.g. a window over all of it), so the same subset of it cannot be taken in both statements';
  candidates.sort((a, b) => rowEstimate(b.schema, b.name) - rowEstimate(a.schema, a.name));
  const target = candidates[0] as TopTable;
  const others = new Set(mine.map((t) => t.ref).filter((r) => r !== target.ref));
  const pushed = conjuncts(before.whereClause).filter((c) => pushable(c, target.ref, others, mine.length === 1));
  return {
    schema: target.schema,
    table: target.name,
    ref: target.ref,
    pushed: pushed.map((p) => sqlOf(p)),
    restrict(percent, seed, part = 'matching') {
      const subset = subsetNode(target.rv, pushed, percent, seed, part);
      return { before: replaceTop(original, target, subset), after: replaceTop(rewrite, target, subset), subset: sqlOf({ SelectStmt: subset.RangeSubselect.subquery.SelectStmt }) };
    },
  };
}
