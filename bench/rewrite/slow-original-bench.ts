/**
 * The seed's correlated AVG(price) query on the demo scenario at 200,000 products (no index on
 * products.category_id): the original cannot finish within any reasonable budget, so the rewrite
 * must be verified on subsets of the outer table. Runs `rewrite` as a new user would (defaults:
 * 60 s budget, HypoPG when installed) and prints what was proven and the measured speed-up.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/rewrite/slow-original-bench.ts
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import { Database } from '../../src/collect/connection.ts';
import { scenarioSteps } from '../../src/demo/scenario.ts';
import { rewriteAndVerify } from '../../src/rewrite/rewrite-and-verify.ts';
import { schemaFactsFromSnapshot } from '../../src/rewrite/schema-facts.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { HypopgEngine } from '../../src/whatif/hypopg-engine.ts';
import { SEED_SQL } from '../../test/rewrite/corpus.ts';

const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** the demo scenario's scale at which products has 200,000 rows */
const SCALE = 20;

async function main(): Promise<void> {
  await initSqlParser();
  const name = `dbo_bench_slow_${randomBytes(3).toString('hex')}`;
  const a = new pg.Client({ connectionString: admin });
  await a.connect();
  await a.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const rw = new pg.Client({ connectionString: url.toString() });
  await rw.connect();
  try {
    await rw.query('CREATE EXTENSION IF NOT EXISTS hypopg').catch(() => undefined);
    // the schema, then categories and products: the two tables the seed query reads
    for (const step of scenarioSteps(SCALE).slice(0, 2)) await rw.query(step.sql);
    await rw.query('ANALYZE');
    const version = (await rw.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v.split(' on ')[0];
    const products = (await rw.query<{ n: string }>('SELECT count(*) AS n FROM products')).rows[0]?.n;
    const db = await Database.connect({ url: url.toString() });
    const started = performance.now();
    const facts = schemaFactsFromSnapshot(await collectSnapshot(db, { showLiterals: true }));
    const whatIf = await HypopgEngine.open(db).catch(() => null);
    const outcome = await rewriteAndVerify(db, SEED_SQL, { facts, verify: { rowCap: 10_000, analyze: false, whatIf } });
    const totalMs = performance.now() - started;
    await whatIf?.close();
    await db.close();
    console.log(`slow-original bench — ${version}, Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}; products ${products}`);
    for (const r of outcome.rewrites) {
      const v = r.verification;
      const m = v?.measured;
      console.log(`${r.rule.padEnd(30)} ${r.status.padEnd(10)} planner ${v?.costBefore ?? '?'} → ${v?.costAfter ?? '?'}${m === null || m === undefined ? '' : `; measured on ${m.on}: ${m.beforeMs} → ${m.afterMs} ms (${(m.beforeMs / Math.max(m.afterMs, 0.01)).toFixed(1)}×)`}`);
      if (v?.restricted !== undefined && v.restricted !== null) console.log(`  ${v.restricted.summary}; with ${v.withIndexes?.indexes.join('; ') ?? 'no index'}: ${v.withIndexes?.costBefore ?? '?'} → ${v.withIndexes?.costAfter ?? '?'} (${v.withIndexes?.how ?? '-'})`);
      if (r.status !== 'verified') console.log(`  ${r.reasons[0] ?? ''}`);
    }
    console.log(`total (snapshot + rules + verification): ${(totalMs / 1000).toFixed(1)} s`);
  } finally {
    await rw.end();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  }
}

await main();
