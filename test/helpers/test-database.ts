import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { Database } from '../../src/collect/connection.ts';

export interface TestDatabase {
  readonly name: string;
  /** URL of the throwaway database */
  readonly url: string;
  readonly serverVersionNum: number;
  /** extensions that could be created in it */
  readonly extensions: ReadonlySet<string>;
  /** read-write SQL for fixtures (never used by the code under test) */
  exec(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** a read-only Database handle, as the tool opens it */
  open(): Promise<Database>;
  /** flush this backend's pending statistics so pg_stat_* views show them */
  flushStats(): Promise<void>;
  /** a new raw client on the test database (caller ends it) */
  client(): Promise<pg.Client>;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('testDatabaseUrl');
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

const WANTED_EXTENSIONS = ['pg_stat_statements', 'hypopg', 'pg_trgm', 'pg_qualstats'];

/** Creates a throwaway database with the extensions the server can offer. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = `dbo_${prefix.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = urlFor(name);
  const rw = new pg.Client({ connectionString: url });
  await rw.connect();
  const available = new Set(
    (await rw.query<{ name: string }>('SELECT name FROM pg_available_extensions')).rows.map((r) => r.name),
  );
  const loaded = (await rw.query<{ s: string }>(`SELECT current_setting('shared_preload_libraries') AS s`)).rows[0]?.s ?? '';
  const extensions = new Set<string>();
  for (const ext of WANTED_EXTENSIONS) {
    if (!available.has(ext)) continue;
    if ((ext === 'pg_stat_statements' || ext === 'pg_qualstats') && !loaded.includes(ext)) continue;
    await rw.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
    extensions.add(ext);
  }
  const versionNum = Number((await rw.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]?.v);
  const opened: Database[] = [];
  return {
    name,
    url,
    serverVersionNum: versionNum,
    extensions,
    exec: (sql, params) => rw.query(sql, params),
    async open() {
      const db = await Database.connect({ url });
      opened.push(db);
      return db;
    },
    async flushStats() {
      if (versionNum >= 150000) await rw.query('SELECT pg_stat_force_next_flush()');
      else await new Promise((r) => setTimeout(r, 600));
    },
    async client() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    },
    async drop() {
      for (const db of opened) await db.close();
      await rw.end().catch(() => undefined);
      const a = new pg.Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
