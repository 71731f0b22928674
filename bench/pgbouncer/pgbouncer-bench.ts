/**
 * TPS direct vs through the PgBouncer that `db-optimize pgbouncer` generates, at high client counts,
 * loopback only, bounded runs (BENCH_SECONDS each, default 15).
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/pgbouncer/pgbouncer-bench.ts
 *
 * Creates and drops its own database. Prints one line per scenario and the ratio.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { main } from '../../src/cli/main.ts';
import { freePort, PGBENCH_BIN, runPgbench, startPgbouncer } from '../../test/helpers/pgbouncer-process.ts';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const name = `dbo_bench_pgb_${process.pid}`;
const admin = new URL(adminUrl);
const env = { PGPASSWORD: decodeURIComponent(admin.password || 'postgres'), PGUSER: decodeURIComponent(admin.username || 'postgres') };
const host = admin.hostname;
const port = admin.port || '5432';

async function sql(text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

async function generateIni(bouncerPort: number, dir: string, clients: number, cpus: number, authType = 'scram-sha-256'): Promise<{ ini: string; serverConnections: number }> {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  let out = '';
  const code = await main(
    ['pgbouncer', '--target', u.toString(), '--clients', String(clients), '--cpus', String(cpus), '--max-connections', '100', '--listen-port', String(bouncerPort), '--auth-file', join(dir, 'userlist.txt'), '--admin-user', env.PGUSER, '--auth-type', authType, '--format', 'json'],
    { stdout: (t) => void (out += t), stderr: (t) => void process.stderr.write(t), isTTY: false, stdin: process.stdin, env: { ...process.env, DATABASE_URL: undefined } },
  );
  if (code !== 0) throw new Error(`db-optimize pgbouncer exited ${code}`);
  const r = JSON.parse(out) as { pgbouncer: { ini: string; serverConnections: number } };
  return r.pgbouncer;
}

async function bench(label: string, args: string[], target: { host: string; port: string }): Promise<number | null> {
  const r = await runPgbench(['-h', target.host, '-p', target.port, '-j', '2', '-T', String(seconds), '-n', ...args, name], env);
  const failed = r.code !== 0 || r.tps === null;
  const errors = failed ? (/(FATAL|error)[^\n]*/i.exec(r.output)?.[0] ?? `exit ${r.code}`) : '';
  console.log(`${label.padEnd(52)} ${failed ? `FAILED: ${errors}` : `${r.tps?.toFixed(0).padStart(7)} tps`}`);
  return failed ? null : r.tps;
}

async function run(): Promise<void> {
  const cpus = Number(execFileSync('nproc').toString().trim());
  console.log(`pgbench ${execFileSync(PGBENCH_BIN, ['--version']).toString().trim()} · ${execFileSync('/usr/sbin/pgbouncer', ['--version']).toString().split('\n')[0]} · ${cpus} cores · ${seconds} s per run`);
  await sql(`CREATE DATABASE ${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'dbo-bench-pgb-'));
  const bouncerPort = await freePort();
  const trustDir = mkdtempSync(join(tmpdir(), 'dbo-bench-pgb-trust-'));
  const trustPort = await freePort();
  let stop: (() => Promise<void>) | null = null;
  let stopTrust: (() => Promise<void>) | null = null;
  try {
    const init = await runPgbench(['-i', '-s', '5', '-q', '-h', host, '-p', port, name], env);
    if (init.code !== 0) throw new Error(init.output);
    const { ini, serverConnections } = await generateIni(bouncerPort, dir, 200, cpus);
    const bouncer = await startPgbouncer(dir, ini, `"${env.PGUSER}" "${env.PGPASSWORD}"\n`, bouncerPort);
    stop = () => bouncer.stop();
    console.log(`generated pgbouncer.ini: ${serverConnections} server connections (pool + reserve)`);
    const direct = { host, port };
    const viaBouncer = { host: '127.0.0.1', port: String(bouncerPort) };
    const scenarios: [string, string[]][] = [
      ['select-only, 50 clients, persistent connections', ['-S', '-c', '50']],
      ['select-only, 50 clients, new connection per transaction', ['-S', '-C', '-c', '50']],
      ['tpcb-like, 50 clients, persistent connections', ['-c', '50']],
    ];
    for (const [label, args] of scenarios) {
      const a = await bench(`direct       ${label}`, args, direct);
      const b = await bench(`pgbouncer    ${label}`, args, viaBouncer);
      if (a !== null && b !== null) console.log(`${'ratio pgbouncer / direct'.padEnd(52)} ${(b / a).toFixed(2)}×`);
    }
    // the direct server uses trust auth here: compare connection setup with a trust PgBouncer too
    const trust = await generateIni(trustPort, trustDir, 200, cpus, 'trust');
    const trustBouncer = await startPgbouncer(trustDir, trust.ini, `"${env.PGUSER}" "${env.PGPASSWORD}"\n`, trustPort);
    stopTrust = () => trustBouncer.stop();
    const a = await bench('direct       select-only, 50 clients, new conn/tx (trust)', ['-S', '-C', '-c', '50'], direct);
    const b = await bench('pgbouncer    select-only, 50 clients, new conn/tx (trust)', ['-S', '-C', '-c', '50'], { host: '127.0.0.1', port: String(trustPort) });
    if (a !== null && b !== null) console.log(`${'ratio pgbouncer / direct'.padEnd(52)} ${(b / a).toFixed(2)}×`);
    // more clients than max_connections: only possible through the pooler
    await bench('pgbouncer    select-only, 200 clients (> max_connections)', ['-S', '-c', '200'], viaBouncer);
  } finally {
    await stop?.();
    await stopTrust?.();
    rmSync(trustDir, { recursive: true, force: true });
    await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

await run();
