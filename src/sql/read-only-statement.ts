import { DbOptimizeError } from '../errors/index.ts';
import { routineCalls } from './function-calls.ts';
import { parseSql } from './parser.ts';
import { deniedFunctionReason } from './side-effect-functions.ts';

type Node = Record<string, unknown>;

const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function walk(node: unknown, visit: (key: string, value: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) visit(key, value as Node);
    walk(value, visit);
  }
}

function refuse(what: string, why: string): never {
  throw new DbOptimizeError('E_NOT_READ_ONLY', 'usage', `refused ${what}: ${why}`, {
    hint: 'only one plain SELECT (or VALUES / TABLE) is accepted here; nothing was sent to the database',
  });
}

/**
 * The check a statement from outside (an AI assistant, a tool call) passes before anything runs
 * it: the real parser must see exactly one SELECT, with no data-modifying WITH, no SELECT INTO,
 * no row locks and no function known to write or signal. Throws E_NOT_READ_ONLY (or the parser's
 * error); a text that hides a second statement (`SELECT 1; COMMIT; DROP …`) never gets through.
 * Functions not on the deny list are checked against the catalog separately (findSideEffects).
 */
export function assertReadOnlyStatement(sql: string, what = 'the statement'): void {
  const parsed = parseSql(sql, what) as { stmts?: { stmt?: Node }[] };
  const stmts = parsed.stmts ?? [];
  if (stmts.length === 0) refuse(what, 'it holds no statement');
  if (stmts.length > 1) refuse(what, `it holds ${stmts.length} statements (a ";" inside the text starts another one); pass one SELECT`);
  const stmt = stmts[0]?.stmt ?? {};
  const kind = Object.keys(stmt)[0] ?? '?';
  if (kind !== 'SelectStmt') refuse(what, `it is not a SELECT but ${kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()}`);
  walk(stmt, (key, value) => {
    if (key === 'intoClause') refuse(what, 'SELECT … INTO creates a table');
    if (key === 'LockingClause' || (key === 'SelectStmt' && Array.isArray(value.lockingClause) && value.lockingClause.length > 0)) {
      refuse(what, 'FOR UPDATE / FOR SHARE takes row locks');
    }
    if (key === 'CommonTableExpr') {
      const q = (value.ctequery ?? {}) as Node;
      const w = Object.keys(q).find((k) => WRITES.has(k));
      if (w !== undefined) refuse(what, `its WITH clause runs ${w.replace(/Stmt$/, '').toUpperCase()} (a data-modifying CTE)`);
    }
  });
  for (const ref of routineCalls(sql)) {
    if (ref.kind !== 'function') continue;
    const reason = deniedFunctionReason(ref.name);
    if (reason !== null) refuse(what, `it calls ${ref.schema === null ? '' : `${ref.schema}.`}${ref.name}(), which ${reason}`);
  }
}
