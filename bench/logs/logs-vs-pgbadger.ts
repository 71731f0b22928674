/**
 * `db-optimize logs` side by side with pgbadger on the same real PostgreSQL log.
 *   1. BASE: a stderr log of a real server (bench/logs/setup-server.sh, then workload.sh, which
 *      runs pgbench with log_min_duration_statement = 0 plus errors, lock waits, a deadlock,
 *      temp files, checkpoints and autovacuum). Prefix: Debian's '%m [%p] %q%u@%d '.
 *   2. The log is scaled by repeating it COPIES times, each copy shifted by one day (same
 *      statements, new timestamps), so both tools read a realistic big file.
 *   3. Both tools run on the same file, one process each (pgbadger -j 1): CPU seconds (user +
 *      sys, so "per core"), wall time and peak RSS from /usr/bin/time; then the statement
 *      counts and total durations are compared.
 *   BASE=/tmp/pglogs/base.log COPIES=8 [OURS_COPIES=40] node --import tsx bench/logs/logs-vs-pgbadger.ts
 * OURS_COPIES runs db-optimize alone on a bigger file (memory stays flat?).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BASE = process.env.BASE ?? '/tmp/pglogs/base.log';
const COPIES = Number(process.env.COPIES ?? 8);
const OURS_COPIES = Number(process.env.OURS_COPIES ?? 0);
const PREFIX = process.env.PREFIX ?? '%m [%p] %q%u@%d ';
const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'dbo-bench-logs-'));
const MiB = 1024 * 1024;

async function scale(copies: number, out: string): Promise<void> {
  const w = createWriteStream(out);
  for (let i = 0; i < copies; i++) {
    const rl = createInterface({ input: createReadStream(BASE), crlfDelay: Infinity });
    for await (const line of rl) {
      const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(line);
      let text = line;
      if (m !== null && i > 0) {
        const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + i)).toISOString().slice(0, 10);
        text = d + line.slice(10);
      }
      if (!w.write(`${text}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
    }
  }
  await new Promise<void>((r) => w.end(r));
}

interface Timed {
  cpu: number;
  wall: number;
  rssMb: number;
}

function timed(cmd: string, args: readonly string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * MiB });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [u, s, e, m] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  return { cpu: (u ?? 0) + (s ?? 0), wall: e ?? 0, rssMb: (m ?? 0) / 1024 };
}

function ours(file: string, out: string): Timed {
  return timed('node', ['bin/db-optimize.js', 'logs', file, '--format', 'json', '--top', '10000', '--quiet', '-o', out]);
}

interface Counts {
  queries: number;
  totalMs: number;
  shapes: number;
}

function badgerCounts(out: string): Counts & { errors: number; tempFiles: number; checkpoints: number } {
  const j = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
  let queries = 0;
  let totalMs = 0;
  let shapes = 0;
  for (const db of Object.values(j.normalyzed_info ?? {})) {
    for (const q of Object.values(db as Record<string, { count: number; duration: number }>)) {
      shapes++;
      queries += q.count;
      totalMs += Number(q.duration);
    }
  }
  const overall = Object.values(j.overall_stat ?? {}).find((v) => typeof v === 'object' && v !== null && 'errors_number' in v) as { errors_number?: number } | undefined;
  const temp = Object.values(j.tempfile_info ?? {})[0] as { count?: number } | undefined;
  return { queries, totalMs, shapes, errors: overall?.errors_number ?? 0, tempFiles: temp?.count ?? 0, checkpoints: Number((j.checkpoint_info as Record<string, unknown> | undefined)?.wbuffer !== undefined ? 1 : 0) };
}

function ourCounts(out: string): Counts & { plans: { count: number; totalMs: number }; errors: number; tempFiles: number } {
  const l = (JSON.parse(readFileSync(out, 'utf8')) as { logs: { queries: number; queriesTotalMs: number; statements: unknown[]; autoExplain: { plans: number; totalMs: number }; errors: { count: number }[]; tempFiles: { count: number }[] } }).logs;
  return {
    queries: l.queries,
    totalMs: l.queriesTotalMs,
    shapes: l.statements.length,
    plans: { count: l.autoExplain.plans, totalMs: l.autoExplain.totalMs },
    errors: l.errors.reduce((n, e) => n + e.count, 0),
    tempFiles: l.tempFiles.reduce((n, t) => n + t.count, 0),
  };
}

const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(3)} %`;

const file = join(dir, 'scaled.log');
await scale(COPIES, file);
const bytes = statSync(file).size;
console.log(`log: ${BASE} × ${COPIES} = ${(bytes / MiB).toFixed(1)} MiB (${file})`);
const v = spawnSync('pgbadger', ['--version'], { encoding: 'utf8' }).stdout.trim();
const badgerOut = join(dir, 'pgbadger.json');
const b = timed('pgbadger', ['-j', '1', '-f', 'stderr', '--prefix', PREFIX, '-o', badgerOut, file]);
const ourOut = join(dir, 'ours.json');
const o = ours(file, ourOut);
const mbps = (t: Timed): string => `${(bytes / MiB / t.cpu).toFixed(2)} MiB/s per core (${t.cpu.toFixed(1)} s CPU, ${t.wall.toFixed(1)} s wall), peak RSS ${t.rssMb.toFixed(0)} MB`;
console.log(`${v}: ${mbps(b)}`);
console.log(`db-optimize logs: ${mbps(o)}`);
console.log(`throughput ratio per core: ${(b.cpu / o.cpu).toFixed(1)}× pgbadger`);
const bc = badgerCounts(badgerOut);
const oc = ourCounts(ourOut);
console.log(`statements: pgbadger ${bc.queries} (${bc.shapes} shapes), db-optimize ${oc.queries} (${oc.shapes} shapes) + ${oc.plans.count} auto_explain plans`);
console.log(`  pgbadger counts each auto_explain "duration: … plan:" as a query too; db-optimize counts the statement once`);
console.log(`  queries: ${pct(oc.queries + oc.plans.count, bc.queries)} difference once plans are added to ours`);
console.log(`total duration: pgbadger ${bc.totalMs.toFixed(1)} ms, db-optimize ${oc.totalMs.toFixed(1)} ms + ${oc.plans.totalMs.toFixed(1)} ms of plans: ${pct(oc.totalMs + oc.plans.totalMs, bc.totalMs)}`);
console.log(`errors: pgbadger ${bc.errors}, db-optimize ${oc.errors}; temp files: pgbadger ${bc.tempFiles}, db-optimize ${oc.tempFiles}`);
if (OURS_COPIES > 0) {
  const big = join(dir, 'big.log');
  await scale(OURS_COPIES, big);
  const size = statSync(big).size;
  rmSync(file);
  const t = ours(big, join(dir, 'ours-big.json'));
  console.log(`db-optimize alone on ${(size / MiB).toFixed(0)} MiB: ${(size / MiB / t.cpu).toFixed(2)} MiB/s per core (${t.cpu.toFixed(1)} s CPU, ${t.wall.toFixed(1)} s wall), peak RSS ${t.rssMb.toFixed(0)} MB`);
}
if (process.argv.includes('--keep')) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
