import type { Ast, FromTable } from '../ast.ts';
import { clone, columnRef, isSimpleSelect, mkColumnRef, plainFromTables, refsTo, replaceNodes } from '../ast.ts';

/** An IN / NOT IN subquery with one output column, in a shape the IN/EXISTS rules can rewrite. */
export interface InSubquery {
  readonly sub: Ast;
  readonly inner: FromTable;
  /** the subquery's output expression, qualified with the inner table */
  readonly innerExpr: Ast;
  /** the tested expression, qualified with its outer table when it was unqualified */
  readonly outerExpr: Ast;
}

export function qualify(node: Ast, ref: string): Ast {
  return replaceNodes(clone(node), (n) => {
    const parts = columnRef(n);
    return parts !== null && parts.length === 1 ? mkColumnRef([ref, parts[0] as string]) : undefined;
  });
}

/** Matches `expr IN (SELECT col FROM t WHERE ...)` (an ANY sublink with =). */
export function matchInSubquery(link: Ast, outerTables: readonly FromTable[]): InSubquery | string | null {
  const s = link?.SubLink;
  if (s === undefined || s.subLinkType !== 'ANY_SUBLINK') return null;
  const op = s.operName?.[0]?.String?.sval;
  if (op !== undefined && op !== '=') return null;
  if (s.testexpr?.RowExpr !== undefined) return 'row-valued IN is not rewritten';
  const sub = s.subselect?.SelectStmt;
  if (!isSimpleSelect(sub) || sub.groupClause !== undefined || sub.havingClause !== undefined || sub.limitCount !== undefined || sub.distinctClause !== undefined || sub.sortClause !== undefined || sub.withClause !== undefined) return null;
  const from = plainFromTables(sub);
  if (from === null || from.length !== 1) return null;
  const inner = from[0] as FromTable;
  if (outerTables.some((t) => t.ref === inner.ref)) return `the subquery reuses the outer name "${inner.ref}"; give it its own alias first`;
  const targets = sub.targetList ?? [];
  const val = targets[0]?.ResTarget?.val;
  if (targets.length !== 1 || columnRef(val) === null) return null;
  let outerExpr = s.testexpr;
  const parts = columnRef(outerExpr);
  if (parts === null) return null;
  if (parts.length === 1) {
    if (outerTables.length !== 1) return null;
    outerExpr = mkColumnRef([(outerTables[0] as FromTable).ref, parts[0] as string]);
  }
  if (refsTo(sub, new Set(outerTables.map((t) => t.ref))).length > 0) return null;
  return { sub, inner, innerExpr: qualify(val, inner.ref), outerExpr };
}
