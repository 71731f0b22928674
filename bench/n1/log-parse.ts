/**
 * Streams a generated PostgreSQL stderr log (default 1 GiB, log_statement = all +
 * log_min_duration_statement = 0, prefix '%m [%p] %c %x ') through `db-optimize n1`'s log
 * reader and detector, and reports throughput and peak RSS; then times pgbadger on the
 * same file when it is installed.
 *   SIZE_MB=1024 node --import tsx bench/n1/log-parse.ts [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runN1 } from '../../src/n1/run-n1.ts';

const SIZE_MB = Number(process.env.SIZE_MB ?? 1024);
const dir = mkdtempSync(join(tmpdir(), 'dbo-bench-log-'));
const file = join(dir, 'postgresql.log');

function generate(): { transactions: number; n1: number } {
  const fd = openSync(file, 'w');
  const target = SIZE_MB * 1024 * 1024;
  let written = 0;
  let ms = Date.UTC(2026, 10, 21, 0, 0, 0);
  let tx = 0;
  let n1 = 0;
  const stamp = (): string => `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
  while (written < target) {
    const chunk: string[] = [];
    for (let k = 0; k < 200; k++) {
      tx++;
      const pid = 1000 + (tx % 40);
      const session = `6561a3f0.${pid.toString(16)}`;
      const p = (xid: number): string => `${stamp()} [${pid}] ${session} ${xid} `;
      ms += 3;
      chunk.push(`${p(0)}LOG:  statement: BEGIN`);
      const kind = tx % 4;
      if (kind === 0) {
        // an N+1: users then orders per user, SQLAlchemy style
        n1++;
        chunk.push(`${p(0)}LOG:  statement: SELECT users.id AS users_id, users.email AS users_email \n\tFROM users \n\tWHERE users.country = 'FR' \n\t LIMIT 10`);
        chunk.push(`${p(0)}LOG:  duration: 0.412 ms`);
        for (let i = 0; i < 10; i++) {
          ms += 1;
          chunk.push(`${p(0)}LOG:  statement: SELECT orders.id AS orders_id, orders.total AS orders_total \n\tFROM orders \n\tWHERE ${tx * 10 + i} = orders.user_id`);
          chunk.push(`${p(0)}LOG:  duration: 6.${i}31 ms`);
        }
      } else if (kind === 1) {
        // extended protocol with parameters
        chunk.push(`${p(0)}LOG:  execute <unnamed>: SELECT * FROM products WHERE id = $1`);
        chunk.push(`${p(0)}DETAIL:  parameters: $1 = '${tx % 5000}'`);
        chunk.push(`${p(0)}LOG:  duration: 0.101 ms`);
        chunk.push(`${p(0)}LOG:  statement: UPDATE sessions SET updated_at = now() WHERE id = '${tx}'`);
        chunk.push(`${p(tx)}LOG:  duration: 0.201 ms`);
      } else {
        chunk.push(`${p(0)}LOG:  statement: SELECT u.*, COUNT(o.id) AS order_count FROM users u LEFT JOIN orders o ON u.id = o.user_id WHERE u.id = ${tx} GROUP BY u.id`);
        chunk.push(`${p(0)}LOG:  duration: 1.250 ms`);
        chunk.push(`${p(0)}LOG:  statement: INSERT INTO events (user_id, event_type, data, created_at) VALUES (${tx}, 'view', '{"page": ${tx % 100}}', now())`);
        chunk.push(`${p(tx)}LOG:  duration: 0.090 ms`);
      }
      chunk.push(`${p(tx)}LOG:  statement: COMMIT`);
    }
    const text = `${chunk.join('\n')}\n`;
    writeSync(fd, text);
    written += Buffer.byteLength(text);
  }
  closeSync(fd);
  return { transactions: tx, n1 };
}

const g0 = performance.now();
const generated = generate();
const bytes = statSync(file).size;
console.log(`generated ${(bytes / 1024 / 1024).toFixed(0)} MiB, ${generated.transactions} transactions (${generated.n1} with an N+1) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const t0 = performance.now();
const result = await runN1({ logs: [file] }, { minTimeMs: 0 });
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
const f = result.findings[0];
const heap = process.memoryUsage().heapUsed;
console.log(`db-optimize n1: ${seconds.toFixed(1)} s, ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MiB/s, ${(result.queries / seconds / 1000).toFixed(0)}k statements/s, peak RSS ${(peak / 1024 / 1024).toFixed(0)} MiB, heap used at the end ${(heap / 1024 / 1024).toFixed(0)} MiB`);
console.log(`  ${result.units} transactions, ${result.queries} statements, ${result.findings.length} finding(s): ${f?.title ?? '-'} in ${String(f?.evidence.units ?? 0)} transactions`);

// pgbadger reads ~0.5 MiB/s here: it gets the first PGBADGER_MB of the same log (cut at a
// line), and db-optimize is timed on that same slice for a like-for-like ratio
const hasPgbadger = process.env.NO_PGBADGER !== '1' && spawnSync('pgbadger', ['--version']).status === 0;
if (hasPgbadger) {
  const sliceMb = Math.min(Number(process.env.PGBADGER_MB ?? 50), SIZE_MB);
  const slice = join(dir, 'slice.log');
  execFileSync('sh', ['-c', `head -c ${sliceMb * 1024 * 1024} '${file}' | head -n -1 > '${slice}'`]);
  const sliceBytes = statSync(slice).size;
  const version = execFileSync('pgbadger', ['--version'], { encoding: 'utf8' }).trim();
  const s0 = performance.now();
  await runN1({ logs: [slice] }, { minTimeMs: 0 });
  const ours = (performance.now() - s0) / 1000;
  const out = join(dir, 'pgbadger.json');
  const b0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'pgbadger', '--quiet', '-f', 'stderr', '--prefix', '%m [%p] %c %x ', '-o', out, slice], { encoding: 'utf8' });
  const bs = (performance.now() - b0) / 1000;
  const maxKb = Number((r.stderr.trim().split('\n').pop() ?? '0').trim());
  console.log(`same ${(sliceBytes / 1024 / 1024).toFixed(0)} MiB slice: db-optimize n1 ${ours.toFixed(1)} s (${(sliceBytes / 1024 / 1024 / ours).toFixed(1)} MiB/s); ${version} -f stderr, JSON output, 1 job: ${bs.toFixed(1)} s (${(sliceBytes / 1024 / 1024 / bs).toFixed(1)} MiB/s), peak RSS ${(maxKb / 1024).toFixed(0)} MiB, exit ${r.status}`);
  console.log(`  ratio pgbadger time / db-optimize time: ${(bs / ours).toFixed(1)}x`);
} else {
  console.log('pgbadger comparison skipped (not installed or NO_PGBADGER=1)');
}
if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${file}`);
