import pg from 'pg';
import { Database } from '../../src/collect/connection.ts';
import { HypopgEngine } from '../../src/whatif/hypopg-engine.ts';

export interface BenchStatement {
  readonly sql: string;
  readonly calls: number;
  readonly write: boolean;
}

export interface Score {
  /** weighted planner cost with the indexes as HypoPG models them (GIN/GiST skipped: HypoPG cannot) */
  readonly hypoCost: number;
  readonly hypoSkipped: number;
  /** weighted planner cost with the indexes really built and analyzed */
  readonly realCost: number;
  /** weighted execution time (ms/day), EXPLAIN ANALYZE, best of two runs; writes in rolled-back transactions */
  readonly realMsPerDay: number;
  readonly indexBytes: number;
  readonly indexes: number;
  readonly failed: string[];
}

function bareCreate(def: string, name: string): string {
  return def
    .replace(/;\s*$/, '')
    .replace(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS \S+ ON /i, `CREATE INDEX ${name} ON `)
    .replace(/^CREATE INDEX CONCURRENTLY \S+ ON /i, `CREATE INDEX ${name} ON `)
    .replace(/^CREATE INDEX ON /i, `CREATE INDEX ${name} ON `)
    .replace(/^CREATE INDEX (?!\w+ ON)/i, `CREATE INDEX ${name} `);
}

function hypoDef(def: string): string {
  return def.replace(/;\s*$/, '').replace(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS \S+ ON /i, 'CREATE INDEX ON ');
}

/** One evaluator for every advisor's output: planner cost (HypoPG and real), execution time, size. */
export async function evaluate(url: string, statements: readonly BenchStatement[], definitions: readonly string[]): Promise<Score> {
  // HypoPG side (read-only session, as the tool uses it)
  const db = await Database.connect({ url, statementTimeoutMs: 120_000 });
  let hypoCost = 0;
  let hypoSkipped = 0;
  try {
    const engine = await HypopgEngine.open(db);
    if (engine === null) throw new Error('the bench needs HypoPG');
    const modelled = definitions.filter((d) => !/USING (gin|gist|spgist)\b/i.test(d)).map(hypoDef);
    hypoSkipped = definitions.length - modelled.length;
    const costs = await engine.costMany(
      statements.map((s) => s.sql),
      { create: modelled },
    );
    statements.forEach((s, i) => {
      const c = costs[i];
      hypoCost += s.calls * (c instanceof Error || c === undefined ? 0 : c.totalCost);
    });
    await engine.close();
  } finally {
    await db.close();
  }

  // real side: build, analyze, plan, run, measure, drop
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const created: string[] = [];
  const failed: string[] = [];
  let realCost = 0;
  let realMsPerDay = 0;
  let indexBytes = 0;
  try {
    await client.query('SET statement_timeout = 0');
    for (const [k, def] of definitions.entries()) {
      const name = `bench_eval_${k}`;
      try {
        await client.query(bareCreate(def, name));
        created.push(name);
      } catch (error) {
        failed.push(`${def}: ${(error as Error).message}`);
      }
    }
    await client.query('ANALYZE');
    for (const name of created) {
      const r = await client.query<{ s: string }>(`SELECT pg_relation_size($1::regclass)::text AS s`, [name]);
      indexBytes += Number(r.rows[0]?.s ?? 0);
    }
    for (const s of statements) {
      if (s.write) await client.query('BEGIN');
      try {
        const plan = await client.query(`EXPLAIN (FORMAT JSON) ${s.sql}`);
        realCost += s.calls * ((plan.rows[0] as { 'QUERY PLAN': { Plan: { 'Total Cost': number } }[] })['QUERY PLAN'][0]?.Plan['Total Cost'] ?? 0);
        let best = Number.POSITIVE_INFINITY;
        for (let run = 0; run < 2; run++) {
          if (s.write) await client.query('SAVEPOINT run');
          const a = await client.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${s.sql}`);
          if (s.write) await client.query('ROLLBACK TO SAVEPOINT run');
          best = Math.min(best, (a.rows[0] as { 'QUERY PLAN': { 'Execution Time': number }[] })['QUERY PLAN'][0]?.['Execution Time'] ?? 0);
        }
        realMsPerDay += s.calls * best;
      } finally {
        if (s.write) await client.query('ROLLBACK');
      }
    }
  } finally {
    for (const name of created) await client.query(`DROP INDEX IF EXISTS ${name}`).catch(() => undefined);
    await client.end();
  }
  return { hypoCost, hypoSkipped, realCost, realMsPerDay, indexBytes, indexes: created.length, failed };
}
