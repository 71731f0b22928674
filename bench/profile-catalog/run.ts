/**
 * Bench: `db-optimize profile` on a catalog of 10,000 tables and 30,000 indexes (plus 10,000
 * sequences and foreign keys), in its own throwaway database, against the equivalent PgHero
 * catalog queries run through psql. Prints wall time, peak RSS and the ratio.
 *
 *   npx tsx bench/profile-catalog/run.ts [--tables 10000] [--keep] [--reuse DBNAME]
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres (default)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const tables = Number(args[args.indexOf('--tables') + 1] ?? 10_000) || 10_000;
const reuse = args.includes('--reuse') ? args[args.indexOf('--reuse') + 1] : undefined;
// generating 10k tables takes minutes on a busy machine: --keep it once, then --reuse it
const keep = args.includes('--keep') || reuse !== undefined;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const name = reuse ?? `dbo_bench_catalog_${randomBytes(3).toString('hex')}`;
const url = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
})();

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Builds the catalog with DO blocks that commit every 250 tables (the lock table would overflow otherwise). */
async function generate(): Promise<number> {
  const started = performance.now();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE TABLE parent (id serial PRIMARY KEY, name text)');
  await c.query("INSERT INTO parent (name) SELECT 'p' || g FROM generate_series(1, 100) g");
  await c.query(`
    DO $$
    BEGIN
      FOR i IN 1..${tables} LOOP
        EXECUTE format('CREATE TABLE t_%s (id serial PRIMARY KEY, parent_id int REFERENCES parent(id), a int, b text, created_at timestamptz DEFAULT now())', i);
        EXECUTE format('CREATE INDEX t_%s_a_idx ON t_%s (a)', i, i);
        -- every 100th table gets a duplicate instead of an index on b: findings to report
        IF i % 100 = 0 THEN
          EXECUTE format('CREATE INDEX t_%s_a_idx2 ON t_%s (a)', i, i);
        ELSE
          EXECUTE format('CREATE INDEX t_%s_b_idx ON t_%s (b)', i, i);
        END IF;
        EXECUTE format('INSERT INTO t_%s (parent_id, a, b) SELECT g %% 100 + 1, g, md5(g::text) FROM generate_series(1, 20) g', i);
        IF i % 250 = 0 THEN COMMIT; END IF;
      END LOOP;
    END $$;`);
  await c.query('ANALYZE');
  const counts = await c.query<{ tables: string; indexes: string; sequences: string }>(`
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r') AS tables,
           (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'i') AS indexes,
           (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S') AS sequences`);
  await c.end();
  const row = counts.rows[0];
  console.log(`catalog: ${row?.tables} tables, ${row?.indexes} indexes, ${row?.sequences} sequences (generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return performance.now() - started;
}

/** Runs a command, polling /proc for its peak resident set size (VmHWM). */
function measure(cmd: string, argv: string[]): Promise<{ ms: number; peakRssBytes: number; code: number; stderr: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m?.[1] !== undefined) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // the process just ended
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ ms: performance.now() - started, peakRssBytes: peak, code: code ?? -1, stderr });
    });
  });
}

async function main(): Promise<void> {
  if (reuse === undefined) await admin(`CREATE DATABASE ${name}`);
  try {
    if (reuse === undefined) await generate();
    const out = join('/tmp', `${name}.json`);
    // warm the OS cache of the catalog once for both tools (first touch dominates otherwise)
    spawnSync('psql', [url, '-qAtc', 'SELECT count(*) FROM pg_attribute'], { stdio: 'ignore' });
    const runs: { ms: number; peakRssBytes: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await measure(process.execPath, [join(root, 'bin', 'db-optimize.js'), 'profile', '--db', url, '--format', 'json', '--out', out]);
      if (r.code !== 0) throw new Error(`profile exited ${r.code}: ${r.stderr}`);
      runs.push(r);
    }
    const report = JSON.parse(readFileSync(out, 'utf8')) as { findings: { rule: string }[]; analyzers?: { id: string; ms: number }[] };
    const byRule = new Map<string, number>();
    for (const f of report.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    const slowest = [...(report.analyzers ?? [])].sort((a, b) => b.ms - a.ms).slice(0, 3);
    const pghero: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await measure('psql', [url, '-X', '-q', '-f', join(here, 'pghero-equivalent.sql')]);
      if (r.code !== 0) throw new Error(`psql exited ${r.code}: ${r.stderr}`);
      pghero.push(r.ms);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const profileMs = median(runs.map((r) => r.ms));
    const peak = Math.max(...runs.map((r) => r.peakRssBytes));
    const pgheroMs = median(pghero);
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    );
    console.log(`db-optimize profile: ${(profileMs / 1000).toFixed(2)} s wall (median of 3, incl. node + tsx start), peak RSS ${(peak / 1024 ** 2).toFixed(0)} MiB`);
    console.log(`  goal: < 15 s, < 1 GiB -> ${profileMs < 15_000 && peak < 1024 ** 3 ? 'PASS' : 'FAIL'}`);
    console.log(`  findings: ${[...byRule].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  slowest analyzers: ${slowest.map((a) => `${a.id} ${a.ms} ms`).join(', ')}`);
    console.log(`PgHero-equivalent catalog queries via psql: ${(pgheroMs / 1000).toFixed(2)} s (median of 3)`);
    console.log(`ratio profile / PgHero-equivalent: ${(profileMs / pgheroMs).toFixed(1)}×`);
  } finally {
    if (!keep) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    else console.log(`kept database ${name}`);
  }
}

await main();
