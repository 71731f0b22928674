/**
 * Index advisor benchmark: our advisor, pg_qualstats_index_advisor() and (on small instances) the
 * exhaustive optimum over our candidates, side by side on two deterministic workloads, all scored
 * by one evaluator; then a scaling run up to 1,000 distinct statements.
 *
 *   npx tsx bench/index-advisor/run.ts [--scale 0.1] [--no-scaling] [--only ecommerce|tpch]
 *   BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres):
 *   a server with HypoPG, pg_trgm and pg_qualstats preloaded; throwaway databases are created there.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import { buildStatements } from '../../src/advisor/build-statements.ts';
import { CostOracle } from '../../src/advisor/cost-oracle.ts';
import { isRelevant } from '../../src/advisor/relevance.ts';
import { runIndexAdvisor } from '../../src/advisor/run-index-advisor.ts';
import type { Candidate } from '../../src/advisor/types.ts';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import { Database } from '../../src/collect/connection.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { HypopgEngine } from '../../src/whatif/hypopg-engine.ts';
import { workloadFromSql } from '../../src/workload/from-sql-file.ts';
import { ecommerceSchemaSql, ecommerceTemplates } from './ecommerce.ts';
import type { Template } from './ecommerce.ts';
import { evaluate } from './evaluate.ts';
import type { BenchStatement, Score } from './evaluate.ts';
import { scalingStatements } from './scaling.ts';
import { tpchSchemaSql, tpchTemplates } from './tpch.ts';

const args = process.argv.slice(2);
const scale = Number(args[args.indexOf('--scale') + 1] ?? 0.1) || 0.1;
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const out = (line = ''): void => void process.stdout.write(`${line}\n`);

function urlFor(db: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(sql);
  await c.end();
}

const mb = (b: number): string => (b / 1048576).toFixed(1);
const ratio = (a: number, b: number): string => (b === 0 ? '—' : (a / b).toFixed(3));

interface Row {
  readonly advisor: string;
  readonly score: Score;
  readonly runtimeMs: number | null;
  readonly whatIfCalls: number | null;
  readonly note: string;
}

async function qualstatsAdvice(url: string, templates: readonly Template[]): Promise<{ defs: string[]; ms: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = performance.now();
  try {
    await c.query('SET pg_qualstats.sample_rate = 1');
    await c.query('SET statement_timeout = 0');
    for (const t of templates) {
      for (let i = 0; i < 3; i++) {
        const sql = t.sql(i);
        const write = /^\s*(INSERT|UPDATE|DELETE)/i.test(sql);
        if (write) await c.query('BEGIN');
        try {
          await c.query(sql);
        } finally {
          if (write) await c.query('ROLLBACK');
        }
      }
    }
    const r = await c.query<{ a: { indexes: string[] | null } }>(`SELECT pg_qualstats_index_advisor(min_filter => 0, min_selectivity => 0) AS a`);
    return { defs: r.rows[0]?.a.indexes ?? [], ms: performance.now() - t0 };
  } finally {
    await c.end();
  }
}

/** Best configuration of at most `maxCount` of the candidates within `maxBytes`, by weighted HypoPG cost (every subset). */
async function exhaustive(url: string, workloadSql: string, pool: readonly Candidate[], maxBytes: number, maxCount: number): Promise<{ defs: string[]; cost: number; configs: number; calls: number; ms: number }> {
  const t0 = performance.now();
  const db = await Database.connect({ url, statementTimeoutMs: 120_000 });
  const engine = await HypopgEngine.open(db);
  if (engine === null) throw new Error('needs HypoPG');
  try {
    const snapshot = await collectSnapshot(db);
    const built = buildStatements(workloadFromSql(workloadSql, 'bench'), snapshot);
    const oracle = new CostOracle({ snapshot, whatIf: engine, sandbox: null, sandboxAllowed: () => false, relevant: isRelevant });
    const sizes = new Map<string, number>();
    for (const c of pool) sizes.set(c.id, await engine.indexSize(c.definition));
    let best = { ids: [] as Candidate[], cost: Number.POSITIVE_INFINITY };
    let configs = 0;
    for (let mask = 0; mask < 1 << pool.length; mask++) {
      const config = pool.filter((_, i) => (mask >> i) & 1);
      if (config.length > maxCount || config.reduce((a, c) => a + (sizes.get(c.id) ?? 0), 0) > maxBytes) continue;
      configs++;
      const per = await oracle.evaluate(built.statements, config);
      const cost = built.statements.reduce((a, s) => a + s.weight * (per.get(s.id)?.cost ?? 0), 0);
      if (cost < best.cost) best = { ids: config, cost };
    }
    return { defs: best.ids.map((c) => c.definition), cost: best.cost, configs, calls: oracle.whatIfCalls, ms: performance.now() - t0 };
  } finally {
    await engine.close();
    await db.close();
  }
}

async function benchWorkload(name: string, schemaSql: string, templates: readonly Template[], scaling: boolean): Promise<void> {
  const dbName = `dbo_bench_${name}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const url = urlFor(dbName);
  try {
    const rw = new pg.Client({ connectionString: url });
    rw.on('error', () => undefined);
    await rw.connect();
    for (const ext of ['hypopg', 'pg_trgm', 'pg_qualstats']) await rw.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
    const tLoad = performance.now();
    await rw.query('SET statement_timeout = 0');
    await rw.query(schemaSql);
    await rw.end();
    out(`\n## ${name} (scale ${scale}): ${templates.length} templates, data loaded in ${((performance.now() - tLoad) / 1000).toFixed(1)} s`);

    // the advisors see constant set 0; every configuration is scored on sets 1 and 2, so nothing is tuned to the constants it was shown
    const statements: BenchStatement[] = templates.flatMap((t) => [1, 2].map((i) => ({ sql: t.sql(i), calls: t.calls / 2, write: /^\s*(INSERT|UPDATE|DELETE)/i.test(t.sql(i)) })));
    const workloadSql = templates.map((t) => `-- calls: ${t.calls}\n${t.sql(0)};`).join('\n');

    const db = await Database.connect({ url, statementTimeoutMs: 120_000 });
    // the table counters only show the bulk load that just happened: write rates come from the workload's own writes
    const ours = await runIndexAdvisor(db, { workload: async () => workloadFromSql(workloadSql, name), advisor: { writeSource: 'workload' }, timeLimitMs: 120_000 });
    await db.close();
    const oursDefs = ours.result.indexes.map((i) => i.ddl);

    const qs = await qualstatsAdvice(url, templates);

    const baseline = await evaluate(url, statements, []);
    const oursScore = await evaluate(url, statements, oursDefs);
    const qsScore = await evaluate(url, statements, qs.defs);
    const rows: Row[] = [
      { advisor: 'db-optimize', score: oursScore, runtimeMs: ours.runtimeMs, whatIfCalls: ours.result.stats.whatIfCalls, note: `${ours.result.stats.candidates} candidates, polish: ${ours.result.stats.polish.split(':')[0]}` },
      { advisor: 'pg_qualstats_index_advisor', score: qsScore, runtimeMs: qs.ms, whatIfCalls: 0, note: 'replay ×3 + advisor, no cost model' },
    ];

    // ours at no more storage than pg_qualstats used
    const db2 = await Database.connect({ url, statementTimeoutMs: 120_000 });
    const oursEq = await runIndexAdvisor(db2, { workload: async () => workloadFromSql(workloadSql, name), advisor: { budgetBytes: Math.max(qsScore.indexBytes, 1), writeSource: 'workload' }, timeLimitMs: 120_000 });
    await db2.close();
    rows.push({ advisor: `db-optimize ≤ qualstats storage`, score: await evaluate(url, statements, oursEq.result.indexes.map((i) => i.ddl)), runtimeMs: oursEq.runtimeMs, whatIfCalls: oursEq.result.stats.whatIfCalls, note: `budget ${mb(qsScore.indexBytes)} MB` });

    // exhaustive optimum over our btree candidates (top 10), at our storage and index count
    // our btree choices plus the next candidates of the pool, 12 at most: every subset of them is costed
    const mine = ours.result.indexes.map((i) => i.candidate).filter((c) => c.method === 'btree');
    const pool = [...mine, ...ours.result.candidatePool.filter((c) => c.method === 'btree' && !mine.some((m) => m.id === c.id))].slice(0, Math.max(12, mine.length));
    const oursBytes = ours.result.indexes.reduce((a, i) => a + i.sizeBytes, 0);
    const ex = await exhaustive(url, workloadSql, pool, oursBytes, Math.max(1, ours.result.indexes.length));
    rows.push({ advisor: `exhaustive (${pool.length} cand., ${ex.configs} configs)`, score: await evaluate(url, statements, ex.defs), runtimeMs: ex.ms, whatIfCalls: ex.calls, note: 'reads only, ≤ our storage/count' });

    out('');
    out(`Baseline: weighted planner cost ${baseline.hypoCost.toExponential(3)} (HypoPG) / ${baseline.realCost.toExponential(3)} (real), ${(baseline.realMsPerDay / 1000).toFixed(0)} s/day measured`);
    out('');
    out('| advisor | indexes | size MB | HypoPG cost after/before | real cost after/before | exec time after/before | runtime s | what-if calls | note |');
    out('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const s = r.score;
      out(
        `| ${r.advisor} | ${s.indexes}${s.failed.length > 0 ? ` (${s.failed.length} failed)` : ''} | ${mb(s.indexBytes)} | ${ratio(s.hypoCost, baseline.hypoCost)}${s.hypoSkipped > 0 ? ` (${s.hypoSkipped} GIN not modelled)` : ''} | ${ratio(s.realCost, baseline.realCost)} | ${ratio(s.realMsPerDay, baseline.realMsPerDay)} | ${r.runtimeMs === null ? '—' : (r.runtimeMs / 1000).toFixed(2)} | ${r.whatIfCalls ?? '—'} | ${r.note} |`,
      );
    }
    const oursRow = rows[0];
    const qsRow = rows[1];
    const exRow = rows[3];
    if (oursRow !== undefined && qsRow !== undefined && exRow !== undefined) {
      out('');
      out(`Ratios: real cost ours/qualstats ${ratio(oursRow.score.realCost, qsRow.score.realCost)}, storage ours/qualstats ${ratio(oursRow.score.indexBytes, qsRow.score.indexBytes)}, ` +
        `HypoPG cost ours/exhaustive ${ratio(oursRow.score.hypoCost, exRow.score.hypoCost)}, exec time ours/qualstats ${ratio(oursRow.score.realMsPerDay, qsRow.score.realMsPerDay)}`);
    }
    out('');
    out(`db-optimize chose: ${oursDefs.map((d) => d.replace(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS \S+ ON /, '')).join(' · ') || '(nothing)'}`);
    out(`pg_qualstats chose: ${qs.defs.map((d) => d.replace(/^CREATE INDEX ON /, '')).join(' · ') || '(nothing)'}`);

    if (scaling) {
      out('');
      out('Scaling (db-optimize only, distinct statements on this schema):');
      out('');
      out('| statements | runtime s | ms/statement | what-if calls | candidates | indexes |');
      out('|---|---|---|---|---|---|');
      for (const n of [100, 250, 500, 1000]) {
        const sql = scalingStatements(n).map((s) => `-- calls: ${s.calls}\n${s.sql};`).join('\n');
        const d = await Database.connect({ url, statementTimeoutMs: 120_000 });
        const r = await runIndexAdvisor(d, { workload: async () => workloadFromSql(sql, 'scaling'), sandbox: 'never', timeLimitMs: 300_000 });
        await d.close();
        out(`| ${r.result.workload.statements} | ${(r.runtimeMs / 1000).toFixed(1)} | ${(r.runtimeMs / r.result.workload.statements).toFixed(1)} | ${r.result.stats.whatIfCalls} | ${r.result.stats.candidates} | ${r.result.indexes.length} |`);
      }
    }
  } catch (error) {
    out(`bench ${name} failed: ${(error as Error).message}`);
    throw error;
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

await initSqlParser();
const server = new pg.Client({ connectionString: adminUrl });
await server.connect();
const version = (await server.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v;
await server.end();
out(`# index advisor bench — ${new Date().toISOString().slice(0, 10)}, PostgreSQL ${version}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (only === undefined || only === 'ecommerce') await benchWorkload('ecommerce', ecommerceSchemaSql(scale), ecommerceTemplates(scale), !args.includes('--no-scaling'));
if (only === undefined || only === 'tpch') await benchWorkload('tpch', tpchSchemaSql(scale), tpchTemplates(scale), false);
