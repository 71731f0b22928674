import type { Snapshot, Workload, WorkloadStatement } from '../model/index.ts';
import { fingerprintSql, tryParseSql } from '../sql/index.ts';
import { statementVariants } from './representative-constants.ts';
import { indexableColumns } from './relevance.ts';
import { statementShape } from './statement-shape.ts';
import type { StatementShape } from './statement-shape.ts';
import type { AdvisorStatement, SkippedStatement } from './types.ts';

export interface BuiltStatements {
  readonly statements: AdvisorStatement[];
  readonly shapes: Map<string, StatementShape>;
  readonly skipped: SkippedStatement[];
  readonly updates: Map<string, { columns: Set<string>; perDay: number }[]>;
  readonly writes: Map<string, number>;
  /** per statement id: the "table.column" whose constants are shown to be fixed across calls (a partial index may use them) */
  readonly fixedLiterals: Map<string, Set<string>>;
}

/** calls per day when the window is known, else the raw count */
export function dailyWeight(s: WorkloadStatement, workload: Workload): number {
  const w = workload.windowSeconds;
  return s.source === 'pg_stat_statements' && w !== null && w !== undefined && w > 0 ? (s.calls * 86_400) / w : s.calls;
}

/** Bulk statements run a few times (a backfill, a load) say nothing about the steady write rate. */
const BULK_MAX_CALLS = 10;
const BULK_MIN_ROWS_PER_CALL = 1000;

/**
 * Rows a write statement changes per call: index entries are written per row, not per call
 * (pg_stat_statements counts rows; a SQL file does not, so one per call). A one-off bulk
 * statement counts one, as its rows are a load, not a rate.
 */
export function rowsPerCall(s: WorkloadStatement): number {
  if (s.calls <= 0 || s.rows <= s.calls) return 1;
  const per = s.rows / s.calls;
  return s.calls < BULK_MAX_CALLS && per >= BULK_MIN_ROWS_PER_CALL ? 1 : per;
}

/**
 * Turns workload statements into what the advisor plans: the runnable text (the sample with its
 * constants when known, else the normalized text), its shape, its variants and weight. Statements
 * that cannot be used are listed with the reason.
 */
export function buildStatements(workload: Workload, snapshot: Snapshot): BuiltStatements {
  const statements: AdvisorStatement[] = [];
  const shapes = new Map<string, StatementShape>();
  const skipped: SkippedStatement[] = [];
  const updates = new Map<string, { columns: Set<string>; perDay: number }[]>();
  const writes = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const ws of workload.statements) {
    if (ws.parseError !== undefined) {
      skipped.push({ fingerprint: null, text: ws.text, reason: `does not parse: ${ws.parseError}${ws.origin === undefined ? '' : ` (${ws.origin})`}` });
      continue;
    }
    const candidates = [ws.sample, ws.text].filter((t): t is string => t !== undefined && t.trim() !== '');
    let sql: string | undefined;
    let parsed: ReturnType<typeof tryParseSql> | undefined;
    for (const t of candidates) {
      const p = tryParseSql(t);
      if (p.ok) {
        sql = t;
        parsed = p;
        break;
      }
    }
    if (sql === undefined || parsed === undefined || !parsed.ok) {
      skipped.push({ fingerprint: ws.fingerprint, text: ws.text, reason: 'does not parse' });
      continue;
    }
    const stmts = parsed.result.stmts ?? [];
    if (stmts.length !== 1) {
      skipped.push({ fingerprint: ws.fingerprint, text: ws.text, reason: 'more than one statement in one entry' });
      continue;
    }
    const shape = statementShape((stmts[0]?.stmt ?? {}) as Record<string, unknown>, snapshot);
    const fingerprint = ws.fingerprint ?? fingerprintSql(sql) ?? 'unknown';
    const weight = dailyWeight(ws, workload);
    const rowsPerDay = weight * rowsPerCall(ws);
    if (shape.kind === 'insert' || shape.kind === 'update' || shape.kind === 'delete') {
      for (const t of shape.tables) writes.set(t, (writes.get(t) ?? 0) + rowsPerDay);
    }
    if (shape.kind === 'update') {
      for (const [t, cols] of shape.updated) {
        const list = updates.get(t) ?? [];
        list.push({ columns: cols, perDay: rowsPerDay });
        updates.set(t, list);
      }
    }
    if (shape.kind === 'other') {
      skipped.push({ fingerprint, text: ws.text, reason: 'not a SELECT, UPDATE or DELETE: no predicates an index could serve' });
      continue;
    }
    if (shape.kind === 'insert' && shape.accesses.length === 0) {
      skipped.push({ fingerprint, text: ws.text, reason: 'INSERT: counted as write load on the indexes, nothing to index' });
      continue;
    }
    if (shape.unknownTables.length > 0 && shape.accesses.length === 0) {
      skipped.push({ fingerprint, text: ws.text, reason: `unknown table ${shape.unknownTables.join(', ')} (not in this database, or no privilege to see it)` });
      continue;
    }
    if (shape.tables.size === 0) {
      skipped.push({ fingerprint, text: ws.text, reason: 'reads no table' });
      continue;
    }
    const n = seen.get(fingerprint) ?? 0;
    seen.set(fingerprint, n + 1);
    const id = n === 0 ? fingerprint : `${fingerprint}#${n}`;
    const v = statementVariants(sql, shape.params, shape.paramCount, snapshot);
    shapes.set(id, shape);
    statements.push({
      id,
      fingerprint,
      text: ws.text,
      weight,
      kind: shape.kind,
      tables: [...shape.tables].sort(),
      indexable: indexableColumns(shape),
      variants: v.variants,
      variantNotes: v.notes,
    });
  }
  return { statements, shapes, skipped, updates, writes, fixedLiterals: fixedLiterals(statements, shapes, workload) };
}

/**
 * A constant is evidence for a partial index only when it is fixed across calls: it survived
 * pg_stat_statements' normalization, the text parametrizes its other values ($n), or every instance
 * of the statement in the workload carries the same value. A lone literal may be one instance of a
 * parameter: indexing it as a predicate serves that value and no other.
 */
function fixedLiterals(statements: readonly AdvisorStatement[], shapes: ReadonlyMap<string, StatementShape>, workload: Workload): Map<string, Set<string>> {
  const values = new Map<string, Map<string, Set<string>>>();
  const instances = new Map<string, number>();
  for (const s of statements) {
    instances.set(s.fingerprint, (instances.get(s.fingerprint) ?? 0) + 1);
    const byColumn = values.get(s.fingerprint) ?? new Map<string, Set<string>>();
    for (const a of shapes.get(s.id)?.accesses ?? []) {
      for (const l of a.literalEq) {
        const key = `${a.table.qualifiedName}.${l.column}`;
        byColumn.set(key, (byColumn.get(key) ?? new Set()).add(l.value));
      }
    }
    values.set(s.fingerprint, byColumn);
  }
  const out = new Map<string, Set<string>>();
  for (const s of statements) {
    const shape = shapes.get(s.id);
    const fixed = new Set<string>();
    const parametrized = workload.source === 'pg_stat_statements' || (shape?.paramCount ?? 0) > 0;
    for (const [key, vals] of values.get(s.fingerprint) ?? []) if (parametrized || ((instances.get(s.fingerprint) ?? 0) > 1 && vals.size === 1)) fixed.add(key);
    out.set(s.id, fixed);
  }
  return out;
}
