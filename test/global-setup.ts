import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../src/demo/embedded-server.ts';
import { startPostgres } from '../src/demo/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseUrl: string;
  }
}

/**
 * Tests run against TEST_DATABASE_URL when it is set (CI: the machine's PostgreSQL 15 with
 * HypoPG), else against an embedded PostgreSQL 18 started here and stopped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('testDatabaseUrl', given);
    return async () => undefined;
  }
  // directly under the OS temp dir: as root the server runs as "postgres" and must own it
  const dir = mkdtempSync(join(tmpdir(), 'db-optimize-test-pg-'));
  rmSync(dir, { recursive: true, force: true });
  const server = await startPostgres({
    dataDir: dir,
    port: await freePort(),
    password: 'postgres',
    settings: { shared_preload_libraries: 'pg_stat_statements', max_connections: '200', track_io_timing: 'on' },
  });
  const url = server.url('postgres');
  process.env.TEST_DATABASE_URL = url;
  project.provide('testDatabaseUrl', url);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
