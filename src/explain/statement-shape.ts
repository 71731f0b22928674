import { DbOptimizeError } from '../errors/index.ts';
import { parseSql } from '../sql/index.ts';

type Ast = Record<string, unknown>;

export interface ParamContext {
  readonly number: number;
  /** table the compared column belongs to, when the FROM clause says */
  readonly table: { schema: string | null; name: string } | null;
  readonly column: string | null;
  readonly comparison: 'eq' | 'range' | 'other';
  /** used as LIMIT/OFFSET */
  readonly limit: boolean;
}

export interface StatementShape {
  readonly kind: string;
  /** INSERT/UPDATE/DELETE/MERGE, SELECT … FOR UPDATE or INTO, data-modifying WITH */
  readonly writes: boolean;
  readonly paramCount: number;
  readonly params: readonly ParamContext[];
  readonly tables: readonly { schema: string | null; name: string; alias: string | null }[];
}

const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function each(node: unknown, fn: (key: string, value: Ast) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) each(x, fn);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node as Ast)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) fn(k, v as Ast);
    each(v, fn);
  }
}

function sval(n: unknown): string {
  return (n as { String?: { sval?: string } }).String?.sval ?? '';
}

function columnRef(node: unknown): string[] | null {
  if (typeof node !== 'object' || node === null) return null;
  const n = node as Ast;
  if (n.TypeCast !== undefined) return columnRef((n.TypeCast as Ast).arg);
  if (n.ColumnRef === undefined) return null;
  return ((n.ColumnRef as Ast).fields as unknown[]).map(sval);
}

function paramNumber(node: unknown): number | null {
  if (typeof node !== 'object' || node === null) return null;
  const n = node as Ast;
  if (n.TypeCast !== undefined) return paramNumber((n.TypeCast as Ast).arg);
  const p = n.ParamRef as { number?: number } | undefined;
  return p?.number ?? null;
}

/** What kind of statement this is, whether it writes, and where its $n parameters are used. */
export function statementShape(sql: string): StatementShape {
  const parsed = parseSql(sql, 'the statement') as { stmts?: { stmt?: Ast }[] };
  const stmts = parsed.stmts ?? [];
  if (stmts.length !== 1) {
    throw new DbOptimizeError('E_ONE_STATEMENT', 'usage', `expected one statement, got ${stmts.length}`, { hint: 'pass a single SELECT/INSERT/UPDATE/DELETE (use --file for long statements)' });
  }
  const stmt = stmts[0]?.stmt ?? {};
  const kind = Object.keys(stmt)[0] ?? '?';
  if (kind === 'ExplainStmt') {
    throw new DbOptimizeError('E_EXPLAIN_GIVEN', 'usage', 'pass the statement itself, without EXPLAIN: db-optimize adds EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON)', {
      hint: 'to analyze a plan you already have, use `db-optimize explain FILE`',
    });
  }
  if (!EXPLAINABLE.has(kind)) {
    throw new DbOptimizeError('E_NOT_EXPLAINABLE', 'usage', `${kind.replace(/Stmt$/, '')} statements cannot be explained`, { hint: 'pass a SELECT, INSERT, UPDATE, DELETE or MERGE' });
  }
  let writes = WRITES.has(kind);
  each(stmt, (key, value) => {
    if (key === 'lockingClause' || key === 'intoClause') writes = true;
    if (key === 'CommonTableExpr') {
      const q = (value.ctequery ?? {}) as Ast;
      if (Object.keys(q).some((k) => WRITES.has(k))) writes = true;
    }
    if (key === 'SelectStmt' && Array.isArray(value.lockingClause) && value.lockingClause.length > 0) writes = true;
  });
  const tables: { schema: string | null; name: string; alias: string | null }[] = [];
  each(stmt, (key, value) => {
    if (key !== 'RangeVar' && key !== 'relation') return;
    const rv = (key === 'relation' ? value : value) as { relname?: string; schemaname?: string; alias?: { aliasname?: string } };
    if (typeof rv.relname !== 'string') return;
    tables.push({ schema: rv.schemaname ?? null, name: rv.relname, alias: rv.alias?.aliasname ?? null });
  });
  const byAlias = (q: string | null): { schema: string | null; name: string } | null => {
    if (q === null) return tables.length === 1 ? (tables[0] ?? null) : null;
    return tables.find((t) => t.alias === q || (t.alias === null && t.name === q)) ?? null;
  };
  const params = new Map<number, ParamContext>();
  let max = 0;
  each(stmt, (key, value) => {
    if (key === 'ParamRef') max = Math.max(max, (value as { number?: number }).number ?? 0);
    if (key === 'A_Expr') {
      const op = ((value.name as unknown[]) ?? []).map(sval).join('');
      for (const [a, b] of [[value.lexpr, value.rexpr], [value.rexpr, value.lexpr]]) {
        const num = paramNumber(a);
        const col = columnRef(b);
        if (num === null || col === null || params.has(num)) continue;
        const qualifier = col.length > 1 ? (col.at(-2) ?? null) : null;
        params.set(num, {
          number: num,
          table: byAlias(qualifier),
          column: col.at(-1) ?? null,
          comparison: op === '=' ? 'eq' : ['<', '>', '<=', '>='].includes(op) ? 'range' : 'other',
          limit: false,
        });
      }
    }
  });
  each(stmt, (key, value) => {
    if (key !== 'limitCount' && key !== 'limitOffset') return;
    const num = paramNumber(value);
    if (num !== null && !params.has(num)) params.set(num, { number: num, table: null, column: null, comparison: 'other', limit: true });
  });
  return {
    kind: kind.replace(/Stmt$/, '').toUpperCase(),
    writes,
    paramCount: max,
    params: [...params.values()].sort((a, b) => a.number - b.number),
    tables,
  };
}
