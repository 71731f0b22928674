import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/demo/embedded-server.ts';
import { startPostgres } from '../../src/demo/postgres-server.ts';

export interface LoggingPostgres {
  readonly url: (database: string) => string;
  /** the server's stderr log so far, as PostgreSQL wrote it */
  readonly logFile: string;
  stop(): Promise<void>;
}

export const TEST_LOG_LINE_PREFIX = '%m [%p] %c %x ';

/**
 * An embedded PostgreSQL of our own with statement logging on (the shared server's log
 * settings must not change); its stderr is appended to `logFile` as it arrives.
 */
export async function startLoggingPostgres(options: { readonly logLinePrefix?: string } = {}): Promise<LoggingPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'dbo-n1-pg-'));
  rmSync(dir, { recursive: true, force: true });
  const logDir = mkdtempSync(join(tmpdir(), 'dbo-n1-log-'));
  const logFile = join(logDir, 'postgresql.log');
  writeFileSync(logFile, '');
  const port = await freePort();
  const server = await startPostgres({
    dataDir: dir,
    port,
    password: 'postgres',
    settings: {
      logging_collector: 'off',
      log_statement: 'all',
      log_min_duration_statement: '0',
      log_line_prefix: options.logLinePrefix ?? TEST_LOG_LINE_PREFIX,
      max_connections: '20',
    },
    onOutput: (m) => appendFileSync(logFile, m),
  });
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
