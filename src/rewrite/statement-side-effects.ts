import type pg from 'pg';
import { describeSideEffect, findSideEffects } from '../collect/side-effect-guard.ts';

/** The same guard as `query`: direct calls, operators, and code behind views, policies, domains and casts. */
export async function sideEffects(client: pg.PoolClient, sqls: readonly string[]): Promise<string[]> {
  const db = { query: async <T>(q: string, p?: readonly unknown[]): Promise<T[]> => (await client.query(q, p === undefined ? undefined : [...p])).rows as T[] };
  const out = new Set<string>();
  for (const sql of new Set(sqls)) for (const e of await findSideEffects(db, sql)) out.add(describeSideEffect(e));
  return [...out];
}
