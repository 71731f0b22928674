/**
 * The scaling run alone (db-optimize on 100 … 1,000 distinct statements), for quick checks:
 *   npx tsx bench/index-advisor/scaling-only.ts [--scale 0.1] [--sizes 100,1000]
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runIndexAdvisor } from '../../src/advisor/run-index-advisor.ts';
import { Database } from '../../src/collect/connection.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { workloadFromSql } from '../../src/workload/from-sql-file.ts';
import { ecommerceSchemaSql } from './ecommerce.ts';
import { scalingStatements } from './scaling.ts';

const args = process.argv.slice(2);
const scale = Number(args[args.indexOf('--scale') + 1] ?? 0.1) || 0.1;
const sizes = (args.includes('--sizes') ? (args[args.indexOf('--sizes') + 1] ?? '') : '100,250,500,1000').split(',').map(Number);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const out = (line = ''): void => void process.stdout.write(`${line}\n`);

await initSqlParser();
const name = `dbo_bench_scaling_${randomBytes(3).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const u = new URL(adminUrl);
u.pathname = `/${name}`;
const url = u.toString();
try {
  const rw = new pg.Client({ connectionString: url });
  rw.on('error', () => undefined);
  await rw.connect();
  await rw.query('CREATE EXTENSION IF NOT EXISTS hypopg');
  await rw.query(ecommerceSchemaSql(scale));
  await rw.end();
  out('| statements | runtime s | ms/statement | what-if calls | candidates | indexes | timed out |');
  out('|---|---|---|---|---|---|---|');
  for (const n of sizes) {
    const sql = scalingStatements(n).map((s) => `-- calls: ${s.calls}\n${s.sql};`).join('\n');
    const d = await Database.connect({ url, statementTimeoutMs: 120_000 });
    const r = await runIndexAdvisor(d, { workload: async () => workloadFromSql(sql, 'scaling'), sandbox: 'never', advisor: { writeSource: 'workload' }, timeLimitMs: 300_000 });
    await d.close();
    out(`| ${r.result.workload.statements} | ${(r.runtimeMs / 1000).toFixed(1)} | ${(r.runtimeMs / r.result.workload.statements).toFixed(1)} | ${r.result.stats.whatIfCalls} | ${r.result.stats.candidates} | ${r.result.indexes.length} | ${r.result.stats.timedOut} |`);
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
