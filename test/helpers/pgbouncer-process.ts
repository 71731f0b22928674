import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
export { freePort } from '../../src/demo/embedded-server.ts';

export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';
export const PGBENCH_BIN = '/usr/lib/postgresql/15/bin/pgbench';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface RunningPgbouncer {
  readonly port: number;
  readonly log: () => string;
  stop(): Promise<void>;
}

/**
 * Starts PgBouncer with a generated pgbouncer.ini in `dir` (files made readable for the
 * postgres user: PgBouncer refuses to run as root, so as root it is started with -u postgres).
 */
export async function startPgbouncer(dir: string, ini: string, userlist: string, port: number): Promise<RunningPgbouncer> {
  chmodSync(dir, 0o755);
  const iniPath = join(dir, 'pgbouncer.ini');
  writeFileSync(iniPath, ini, { mode: 0o644 });
  writeFileSync(join(dir, 'userlist.txt'), userlist, { mode: 0o644 });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const child: ChildProcess = spawn(PGBOUNCER_BIN, asRoot ? ['-u', 'postgres', iniPath] : [iniPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  for (let i = 0; i < 100 && !exited; i++) {
    if (await portOpen(port)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (exited || !(await portOpen(port))) {
    child.kill('SIGKILL');
    throw new Error(`pgbouncer did not start:\n${log}`);
  }
  return {
    port,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface PgbenchResult {
  readonly code: number;
  readonly output: string;
  readonly tps: number | null;
  readonly processed: number | null;
  readonly expected: number | null;
  readonly failed: number;
}

/** Runs pgbench and parses its summary. */
export function runPgbench(args: readonly string[], env: NodeJS.ProcessEnv): Promise<PgbenchResult> {
  return new Promise((resolve) => {
    const child = spawn(PGBENCH_BIN, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      const processed = /number of transactions actually processed: (\d+)(?:\/(\d+))?/.exec(output);
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
      const failed = /number of failed transactions: (\d+)/.exec(output);
      resolve({
        code: code ?? -1,
        output,
        tps: tps === null ? null : Number(tps[1]),
        processed: processed === null ? null : Number(processed[1]),
        expected: processed?.[2] === undefined ? null : Number(processed[2]),
        failed: failed === null ? 0 : Number(failed[1]),
      });
    });
  });
}
