/**
 * Rewriter benchmark: time to rewrite (static) and to rewrite + verify the whole corpus on
 * the scaled-down demo schema, against the floor of a bare parse + deparse round trip.
 * No peer rule engine for PostgreSQL rewrites with equivalence checks exists on npm (searched:
 * sql-lint, sqlint, pgsql-ast-parser are linters/parsers without rewrite rules), so the floor is
 * the comparison.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/rewrite/rewrite-bench.ts
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { parseSync } from 'libpg-query';
import pg from 'pg';
import { deparseSync } from 'pgsql-deparser';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import { Database } from '../../src/collect/connection.ts';
import { rewriteAndVerify } from '../../src/rewrite/rewrite-and-verify.ts';
import { rewriteStatement } from '../../src/rewrite/rewrite-statement.ts';
import { schemaFactsFromSnapshot } from '../../src/rewrite/schema-facts.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { CORPUS, SEED_SQL } from '../../test/rewrite/corpus.ts';
import { REWRITE_FIXTURE_SQL } from '../../test/rewrite/fixture.ts';

const ROUNDS = 30;
const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  await initSqlParser();
  const name = `dbo_bench_rewrite_${randomBytes(3).toString('hex')}`;
  const a = new pg.Client({ connectionString: admin });
  await a.connect();
  await a.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const rw = new pg.Client({ connectionString: url.toString() });
  await rw.connect();
  await rw.query(REWRITE_FIXTURE_SQL);
  const version = (await rw.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  await rw.end();
  const db = await Database.connect({ url: url.toString() });
  try {
    const facts = schemaFactsFromSnapshot(await collectSnapshot(db, { showLiterals: true }));
    const statements = CORPUS.map((e) => e.sql);

    // floor: parse + deparse only
    let t = process.hrtime.bigint();
    for (let r = 0; r < ROUNDS; r++) for (const s of statements) deparseSync(parseSync(s), { pretty: false });
    const floorMs = ms(t) / (ROUNDS * statements.length);

    t = process.hrtime.bigint();
    let candidates = 0;
    for (let r = 0; r < ROUNDS; r++) for (const e of CORPUS) candidates += rewriteStatement(e.sql, { facts, options: e.uses === undefined ? {} : { uses: e.uses } }).candidates.length;
    const staticMs = ms(t) / (ROUNDS * statements.length);

    t = process.hrtime.bigint();
    const counts = { verified: 0, unverified: 0, rejected: 0 };
    for (const e of CORPUS) {
      const o = await rewriteAndVerify(db, e.sql, { facts, ruleOptions: e.uses === undefined ? {} : { uses: e.uses }, verify: { rowCap: 10_000, analyze: false } });
      for (const r of o.rewrites) counts[r.status]++;
      counts.rejected += o.rejected.length;
    }
    const verifyMs = ms(t);

    t = process.hrtime.bigint();
    const seed = await rewriteAndVerify(db, SEED_SQL, { facts, verify: { rowCap: 10_000, analyze: true } });
    const seedMs = ms(t);
    const v = seed.rewrites[0]?.verification;

    console.log(`rewrite bench — PostgreSQL ${version}, Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}`);
    console.log(`corpus: ${statements.length} statements, ${candidates / ROUNDS} candidates per pass`);
    console.log(`parse + deparse floor        ${floorMs.toFixed(3)} ms/statement`);
    console.log(`static rewrite (14 rules)    ${staticMs.toFixed(3)} ms/statement  (${(staticMs / floorMs).toFixed(1)}× the floor)`);
    console.log(`rewrite + verify, corpus     ${verifyMs.toFixed(0)} ms total, ${(verifyMs / statements.length).toFixed(1)} ms/statement  (${counts.verified} verified, ${counts.unverified} unverified, ${counts.rejected} rejected)`);
    console.log(`seed proof with --analyze    ${seedMs.toFixed(0)} ms; planner cost ${v?.costBefore} → ${v?.costAfter}, measured ${v?.timeBeforeMs} ms → ${v?.timeAfterMs} ms (${((v?.timeBeforeMs ?? 0) / (v?.timeAfterMs ?? 1)).toFixed(0)}× faster), ${seed.rewrites[0]?.status}`);
    console.log('peer rule engine on npm: none (no package rewrites PostgreSQL queries with an equivalence check)');
  } finally {
    await db.close();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  }
}

await main();
