import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runPgbench, startPgbouncer } from '../helpers/pgbouncer-process.ts';
import type { RunningPgbouncer } from '../helpers/pgbouncer-process.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/*
 * The generated pgbouncer.ini in front of the test PostgreSQL, with a real PgBouncer, and pgbench
 * pushing more clients through it than there are server connections.
 */

let t: TestDatabase;
let dir: string;
let bouncer: RunningPgbouncer | null = null;
let seedBouncer: RunningPgbouncer | null = null;
let env: NodeJS.ProcessEnv;
let server: URL;

beforeAll(async () => {
  t = await createTestDatabase('pgb_real');
  server = new URL(t.url);
  env = { PGPASSWORD: decodeURIComponent(server.password || 'postgres'), PGUSER: decodeURIComponent(server.username || 'postgres') };
  const init = await runPgbench(['-i', '-s', '1', '-q', '-h', server.hostname, '-p', server.port || '5432', t.name], env);
  expect(init.code, init.output).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'dbo-pgb-real-'));
});

afterAll(async () => {
  await bouncer?.stop();
  await seedBouncer?.stop();
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the generated pgbouncer.ini on a real PgBouncer', () => {
  it('serves every one of 40 pgbench clients through 7 server connections in transaction mode', async () => {
    const port = await freePort();
    const r = await runCli([
      'pgbouncer', '--db', t.url, '--clients', '40', '--cpus', '2',
      '--listen-port', String(port), '--auth-file', join(dir, 'userlist.txt'), '--admin-user', env.PGUSER ?? 'postgres',
      '--format', 'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { pgbouncer: { ini: string; poolMode: string; breakers: unknown[] | null; serverConnections: number; settings: { key: string; value: string }[] } };
    expect(report.pgbouncer.breakers, JSON.stringify(report.pgbouncer.breakers)).toEqual(t.extensions.has('pg_stat_statements') ? [] : null);
    expect(report.pgbouncer.poolMode).toBe('transaction');
    const poolSize = Number(report.pgbouncer.settings.find((s) => s.key === 'default_pool_size')?.value);
    expect(poolSize).toBe(5);
    expect(report.pgbouncer.serverConnections).toBe(7);
    const user = env.PGUSER ?? 'postgres';
    bouncer = await startPgbouncer(dir, report.pgbouncer.ini, `"${user}" "${env.PGPASSWORD ?? ''}"\n`, port);

    const clients = 40;
    const perClient = 15;
    const bench = await runPgbench(['-h', '127.0.0.1', '-p', String(port), '-c', String(clients), '-j', '2', '-t', String(perClient), '-n', t.name], env);
    expect(bench.code, `${bench.output}\n--- pgbouncer log ---\n${bouncer.log()}`).toBe(0);
    expect(bench.output).toMatch(/number of clients: 40/);
    expect(bench.processed).toBe(clients * perClient);
    expect(bench.failed).toBe(0);

    // PostgreSQL never saw more backends for this database than the pool allows
    const rows = (await t.exec("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()")).rows as { n: number }[];
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(rows[0]?.n).toBeLessThanOrEqual(report.pgbouncer.serverConnections);
    const history = (await t.exec('SELECT count(*)::int AS n FROM pgbench_history')).rows as { n: number }[];
    expect(history[0]?.n).toBe(clients * perClient);
  });

  it('the seed serverless config starts as generated and serves 50 connect-per-request clients on mostly reads', async () => {
    const port = await freePort();
    const seedDir = join(dir, 'seed');
    mkdirSync(seedDir);
    const r = await runCli([
      'pgbouncer', '--target', t.url, '--clients', '50', '--serverless', '--max-connections', '100', '--read-mostly',
      '--listen-port', String(port), '--auth-file', join(seedDir, 'userlist.txt'), '--admin-user', env.PGUSER ?? 'postgres', '--format', 'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { pgbouncer: { ini: string; poolMode: string; serverConnections: number } };
    expect(report.pgbouncer.poolMode).toBe('transaction');
    expect(report.pgbouncer.serverConnections).toBe(25);
    seedBouncer = await startPgbouncer(seedDir, report.pgbouncer.ini, `"${env.PGUSER ?? 'postgres'}" "${env.PGPASSWORD ?? ''}"\n`, port);
    // -C: a new connection for every transaction, like a serverless invocation; -S: reads
    const bench = await runPgbench(['-h', '127.0.0.1', '-p', String(port), '-c', '50', '-j', '2', '-t', '4', '-C', '-S', '-n', t.name], env);
    expect(bench.code, `${bench.output}\n--- pgbouncer log ---\n${seedBouncer.log()}`).toBe(0);
    expect(bench.processed).toBe(200);
    expect(bench.failed).toBe(0);
  });
});
