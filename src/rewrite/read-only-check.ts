import type { Ast } from './ast.ts';
import { funcName, nodeType, walk } from './ast.ts';

const WRITES = ['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'];

/** Volatile functions that read or compute but never write, so running them to compare results is safe. */
export const SAFE_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set(['random', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'uuid_generate_v4', 'random_normal']);

export interface ReadOnlyCheck {
  /** why the statement must not be executed; null when it is a plain read */
  readonly refusal: string | null;
  /** functions called, to check their volatility in the catalog before running */
  readonly functions: readonly string[];
}

/**
 * Decides from the AST alone whether a statement may be executed for verification: only a
 * SELECT without data-modifying CTEs, row locks or SELECT INTO. Function volatility is checked
 * against pg_proc by the verifier, which runs nothing that calls a volatile function it cannot vouch for.
 */
export function readOnlyCheck(stmt: Ast): ReadOnlyCheck {
  const type = nodeType(stmt);
  if (type !== 'SelectStmt') return { refusal: `it is not a SELECT (${type ?? 'unknown'})`, functions: [] };
  let refusal: string | null = null;
  const functions = new Set<string>();
  walk(stmt, (n) => {
    const t = nodeType(n);
    if (t !== null && WRITES.includes(t)) refusal ??= `it contains a data-modifying ${t.replace(/Stmt$/, '').toUpperCase()}`;
    if (n.lockingClause !== undefined) refusal ??= 'it takes row locks (FOR UPDATE/SHARE)';
    if (n.intoClause !== undefined) refusal ??= 'SELECT INTO creates a table';
    const f = funcName(n);
    if (f !== null) functions.add(f);
  });
  return { refusal, functions: [...functions].sort() };
}
