import type pg from 'pg';

export type Row = readonly (string | null)[];

export const MAX_REPORTED_ROWS = 10;

interface PgError {
  message?: string;
  code?: string;
}

export function isTimeout(error: unknown): boolean {
  return (error as PgError).code === '57014';
}

export function describeDbError(error: unknown): string {
  const e = error as PgError;
  if (e.code === '57014') return 'statement timeout';
  return `${e.message ?? String(error)}${e.code === undefined ? '' : ` (SQLSTATE ${e.code})`}`;
}

export const rawText = { getTypeParser: () => (value: string) => value };

/** Runs fn so that an error (a statement timeout) leaves the surrounding read-only transaction usable. */
export async function guarded<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('SAVEPOINT dbo_verify_step');
  try {
    const result = await fn();
    await client.query('RELEASE SAVEPOINT dbo_verify_step');
    return result;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT dbo_verify_step').catch(() => undefined);
    throw error;
  }
}

export interface Fetched {
  readonly rows: Row[];
  readonly columns: string[];
  readonly truncated: boolean;
  /** wall time of the statement up to the row cap, as the client saw it */
  readonly elapsedMs: number;
}

export async function fetchCapped(client: pg.PoolClient, sql: string, params: readonly (string | null)[], cap: number): Promise<Fetched> {
  return guarded(client, async () => {
    const started = performance.now();
    // a cursor keeps the statement's own order and stops after cap + 1 rows
    // on an error the caller's savepoint rollback closes the cursor (and keeps the server's error)
    await client.query({ text: `DECLARE dbo_verify NO SCROLL CURSOR FOR ${sql}`, values: [...params] });
    const r = await client.query({ text: `FETCH FORWARD ${cap + 1} FROM dbo_verify`, rowMode: 'array', types: rawText });
    await client.query('CLOSE dbo_verify');
    const elapsedMs = performance.now() - started;
    const rows = (r.rows as (string | null)[][]).slice(0, cap);
    return { rows, columns: r.fields.map((f) => f.name), truncated: r.rows.length > cap, elapsedMs };
  });
}

export async function planCost(client: pg.PoolClient, sql: string, params: readonly (string | null)[]): Promise<{ cost: number; width: number; rows: number }> {
  const r = await guarded(client, () => client.query({ text: `EXPLAIN (FORMAT JSON) ${sql}`, values: [...params] }));
  const plan = (r.rows[0] as { 'QUERY PLAN': { Plan: { 'Total Cost': number; 'Plan Width': number; 'Plan Rows': number } }[] })['QUERY PLAN'][0];
  return { cost: plan?.Plan['Total Cost'] ?? Number.NaN, width: plan?.Plan['Plan Width'] ?? Number.NaN, rows: plan?.Plan['Plan Rows'] ?? Number.NaN };
}

export async function measuredMs(client: pg.PoolClient, sql: string, params: readonly (string | null)[]): Promise<number> {
  const r = await guarded(client, () => client.query({ text: `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values: [...params] }));
  const plan = (r.rows[0] as { 'QUERY PLAN': { 'Execution Time': number; 'Planning Time': number }[] })['QUERY PLAN'][0];
  return (plan?.['Execution Time'] ?? Number.NaN) + (plan?.['Planning Time'] ?? 0);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function rowKey(row: Row): string {
  return JSON.stringify(row);
}

export interface RowDifference {
  readonly equal: boolean;
  /** rows (up to 10) the original returns more often than the rewrite */
  readonly onlyBefore: readonly Row[];
  readonly onlyAfter: readonly Row[];
  /** ordered comparison: first position where the rows differ */
  readonly firstOrderDifference?: { readonly position: number; readonly before: Row | null; readonly after: Row | null };
}

/** Multiset (or ordered) comparison; NULL is a value of its own, never equal to a string. */
export function compareRows(before: readonly Row[], after: readonly Row[], ordered: boolean): RowDifference {
  const counts = new Map<string, { row: Row; n: number }>();
  for (const r of before) {
    const k = rowKey(r);
    const e = counts.get(k);
    if (e === undefined) counts.set(k, { row: r, n: 1 });
    else e.n++;
  }
  for (const r of after) {
    const k = rowKey(r);
    const e = counts.get(k);
    if (e === undefined) counts.set(k, { row: r, n: -1 });
    else e.n--;
  }
  const onlyBefore: Row[] = [];
  const onlyAfter: Row[] = [];
  for (const { row, n } of counts.values()) {
    for (let i = 0; i < Math.abs(n) && (n > 0 ? onlyBefore : onlyAfter).length < MAX_REPORTED_ROWS; i++) (n > 0 ? onlyBefore : onlyAfter).push(row);
  }
  const multisetEqual = [...counts.values()].every((e) => e.n === 0);
  if (!ordered) return { equal: multisetEqual, onlyBefore, onlyAfter };
  const length = Math.max(before.length, after.length);
  for (let i = 0; i < length; i++) {
    const b = before[i];
    const a = after[i];
    if (b === undefined || a === undefined || rowKey(b) !== rowKey(a)) {
      return { equal: false, onlyBefore, onlyAfter, firstOrderDifference: { position: i + 1, before: b ?? null, after: a ?? null } };
    }
  }
  return { equal: true, onlyBefore, onlyAfter };
}
