import type pg from 'pg';
import type { Database } from '../collect/connection.ts';
import type { AdvisorStatement } from './types.ts';
import { describeSideEffect, findSideEffects } from '../collect/side-effect-guard.ts';

export interface MeasuredStatement {
  readonly fingerprint: string;
  readonly weight: number;
  /** median execution time over the runs, per constant set, averaged; null when not run */
  readonly beforeMs: number | null;
  readonly afterMs: number | null;
  readonly note?: string;
}

const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function runnable(s: AdvisorStatement): string[] {
  return s.variants.filter((v) => !/\$\d/.test(v.replace(/'(?:[^']|'')*'/g, "''")));
}

async function timeOn(client: pg.PoolClient, sql: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await client.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql}`);
    times.push((r.rows[0] as { 'QUERY PLAN': { 'Execution Time'?: number }[] })['QUERY PLAN'][0]?.['Execution Time'] ?? 0);
  }
  return median(times);
}

/** Measured execution time of each read-only statement (EXPLAIN ANALYZE, median of 3 runs per constant set). */
export async function measureStatements(db: Database, statements: readonly AdvisorStatement[], buildFirst: readonly string[] = []): Promise<Map<string, number | string>> {
  const out = new Map<string, number | string>();
  const work = async (client: pg.PoolClient): Promise<void> => {
    for (const ddl of buildFirst) await client.query(ddl);
    for (const s of statements) {
      if (s.kind !== 'select') {
        out.set(s.id, 'writes are not executed');
        continue;
      }
      const sqls = runnable(s);
      if (sqls.length === 0) {
        out.set(s.id, 'no constants to run it with');
        continue;
      }
      // EXPLAIN ANALYZE executes: a workload statement that signals, locks or steps a sequence is not run
      // a check that fails is no proof of safety: such a statement is not run either
      const effects = await findSideEffects({ query: async (q, p) => (await client.query(q, p === undefined ? undefined : [...p])).rows }, sqls[0] ?? '').catch(
        (error: unknown) => [{ routine: 'unknown functions', reason: `its side effects could not be checked (${(error as Error).message})` }],
      );
      if (effects.length > 0) {
        out.set(s.id, `not executed: ${effects.map(describeSideEffect).join('; ')}`);
        continue;
      }
      await client.query('SAVEPOINT dbo_measure');
      try {
        let sum = 0;
        for (const q of sqls) sum += await timeOn(client, q);
        out.set(s.id, sum / sqls.length);
        await client.query('RELEASE SAVEPOINT dbo_measure');
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT dbo_measure');
        out.set(s.id, (error as Error).message);
      }
    }
  };
  await db.inRolledBackTransaction(work, { allowWrites: buildFirst.length > 0 });
  return out;
}
