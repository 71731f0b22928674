import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/demo/embedded-server.ts';
import { startPostgres } from '../../src/demo/postgres-server.ts';
import type { RunningPostgres } from '../../src/demo/postgres-server.ts';

/**
 * A server of the test's own that dies or freezes while the CLI waits on it: one message, exit 3,
 * no stack trace, no hang. Frozen backends are always resumed (SIGCONT) before the test ends.
 */
const cli = resolve('bin/db-optimize.js');
const dataDir = join(tmpdir(), `dbo-server-failure-${process.pid}`);
const SLOW = 'SELECT count(*) FROM generate_series(1, 100000000000) g WHERE g % 7 = 3';
let server: RunningPostgres;
let port: number;

async function start(): Promise<void> {
  server = await startPostgres({ dataDir, port, password: 'pw' });
}

beforeAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  port = await freePort();
  await start();
}, 120_000);
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function runCliProcess(args: readonly string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { done: new Promise((ok) => child.on('close', (code) => ok({ code, stdout, stderr }))) };
}

/** Connects as soon as the server accepts connections again (it recovers after a killed backend). */
async function adminClient(): Promise<pg.Client> {
  for (;;) {
    const admin = new pg.Client({ connectionString: server.url() });
    try {
      await admin.connect();
      return admin;
    } catch (error) {
      await admin.end().catch(() => undefined);
      if (!/recovery mode|starting up|shutting down|not yet accepting|ECONNREFUSED/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Waits (polling, no fixed sleep) until our slow statement is running and returns its backend pid. */
async function runningBackend(): Promise<number> {
  const admin = await adminClient();
  try {
    for (;;) {
      const r = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'db-optimize' AND state = 'active' AND query LIKE '%generate_series(1, 100000000000)%'`);
      if (r.rows[0] !== undefined) return r.rows[0].pid;
      await new Promise((r2) => setImmediate(r2));
    }
  } finally {
    await admin.end();
  }
}

function expectOneCleanConnectionError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(3);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/Unhandled|internal error|\n\s+at /);
  expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('db-optimize:'))).toHaveLength(1);
  expect(r.stderr).not.toContain(':pw@');
}

describe('server death and freezes', () => {
  it('the backend killed mid-statement: exit 3 with one message', async () => {
    const run = runCliProcess(['query', '--db', server.url(), SLOW]);
    const pid = await runningBackend();
    process.kill(pid, 'SIGKILL');
    expectOneCleanConnectionError(await run.done, /lost the connection to the server/);
    await (await adminClient()).end();
  });

  it('the server stopped mid-run: exit 3 with one message', async () => {
    const run = runCliProcess(['query', '--db', server.url(), SLOW]);
    await runningBackend();
    await server.stop();
    try {
      expectOneCleanConnectionError(await run.done, /lost the connection|terminating connection|shut/i);
    } finally {
      await start();
    }
  });

  it('a frozen backend (SIGSTOP): the client gives up after statement_timeout + margin, exit 3', async () => {
    const run = runCliProcess(['query', '--db', server.url(), '--statement-timeout', '1000', SLOW]);
    const pid = await runningBackend();
    process.kill(pid, 'SIGSTOP');
    try {
      expectOneCleanConnectionError(await run.done, /stopped answering/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});

/**
 * Backends of db-optimize killed from a second connection while a whole-database command runs.
 * A table held under ACCESS EXCLUSIVE makes the catalog read wait (up to lock_timeout), so the
 * kill lands mid-run without a timed sleep; every later db-optimize backend is killed too.
 */
async function killOursWhileRunning(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const holder = await adminClient();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
  const run = runCliProcess(args);
  let exited = false;
  const result = run.done.then((r) => {
    exited = true;
    return r;
  });
  const killer = await adminClient();
  let killed = 0;
  try {
    while (!exited) {
      const r = await killer.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'db-optimize' AND pid <> pg_backend_pid() AND (wait_event_type = 'Lock' OR $1)) k`,
        [killed > 0],
      );
      killed += r.rows[0]?.n ?? 0;
      await new Promise((r2) => setImmediate(r2));
    }
  } finally {
    await killer.end();
    await holder.query('ROLLBACK');
    await holder.end();
  }
  expect(killed).toBeGreaterThan(0);
  return result;
}

describe('server death during whole-database commands', () => {
  beforeAll(async () => {
    const admin = await adminClient();
    try {
      await admin.query(`CREATE TABLE IF NOT EXISTS held (id int PRIMARY KEY, v int);
        CREATE TABLE IF NOT EXISTS other (id int PRIMARY KEY, held_id int REFERENCES held (id));
        INSERT INTO held SELECT g, g % 10 FROM generate_series(1, 2000) g ON CONFLICT DO NOTHING;
        ANALYZE held, other;`);
    } finally {
      await admin.end();
    }
  });

  for (const command of ['profile', 'full']) {
    it(`${command}: backends killed mid-run → exit 3, one message, no stack trace`, async () => {
      const r = await killOursWhileRunning([command, '--db', server.url()]);
      expectOneCleanConnectionError(r, /lost the connection|terminat|could not (read|connect)|skipped/i);
    });
  }

  it('indexes with a workload file: backends killed mid-run → exit 3, one message, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbo-kill-'));
    const workload = join(dir, 'workload.sql');
    writeFileSync(workload, '-- calls: 100000\nSELECT * FROM held WHERE v = 3;\n');
    try {
      const r = await killOursWhileRunning(['indexes', '--db', server.url(), '--workload', workload]);
      expectOneCleanConnectionError(r, /lost the connection|terminat|could not (read|connect)|skipped/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('profile with the server stopped mid-run → exit 3', async () => {
    const holder = await adminClient();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
    const run = runCliProcess(['profile', '--db', server.url()]);
    const watcher = await adminClient();
    try {
      for (;;) {
        const r = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'db-optimize' AND wait_event_type = 'Lock'`);
        if (r.rows.length > 0) break;
        await new Promise((r2) => setImmediate(r2));
      }
    } finally {
      await watcher.end();
    }
    await holder.end().catch(() => undefined);
    await server.stop();
    try {
      expectOneCleanConnectionError(await run.done, /lost the connection|terminat|shut|could not (read|connect)|skipped/i);
    } finally {
      await start();
    }
  });
});
