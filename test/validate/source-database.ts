import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { adminUrl, urlFor } from '../helpers/test-database.ts';

/**
 * A throwaway source database for validate. Unlike createTestDatabase it keeps no session open:
 * CREATE DATABASE … TEMPLATE needs the source to itself.
 */
export interface SourceDatabase {
  readonly name: string;
  readonly url: string;
  /** runs SQL in a short session that is closed before returning */
  exec(sql: string): Promise<pg.QueryResult>;
  /** indexes and a checksum of every row of the seeded table: proof the source was not touched */
  fingerprint(): Promise<{ indexes: string[]; rows: string }>;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** accounts(id, email, region, note) with `rows` rows and no index on email: a slow lookup. */
export async function createSourceDatabase(rows = 60_000): Promise<SourceDatabase> {
  const name = `dbo_validate_src_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl(), (c) => c.query(`CREATE DATABASE ${name}`));
  const url = urlFor(name);
  await withClient(url, async (c) => {
    await c.query('CREATE TABLE accounts (id serial PRIMARY KEY, email text NOT NULL, region int NOT NULL, note text)');
    await c.query(
      `INSERT INTO accounts (email, region, note) SELECT 'user' || g || '@example.com', g % 50, repeat('x', 80) FROM generate_series(1, $1::int) g`,
      [rows],
    );
    await c.query('ANALYZE accounts');
    // a SELECT that changes state: it must never be replayed
    await c.query('CREATE TABLE audit (at timestamptz)');
    await c.query(`CREATE FUNCTION touch_audit() RETURNS int LANGUAGE sql VOLATILE AS 'INSERT INTO audit VALUES (now()); SELECT 1'`);
  });
  return {
    name,
    url,
    exec: (sql) => withClient(url, (c) => c.query(sql)),
    fingerprint: () =>
      withClient(url, async (c) => {
        const idx = await c.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexdef`);
        const sum = await c.query<{ md5: string }>(`SELECT md5(string_agg(a::text, ',' ORDER BY id)) AS md5 FROM accounts a`);
        return { indexes: idx.rows.map((r) => r.indexdef), rows: sum.rows[0]?.md5 ?? '' };
      }),
    drop: () => withClient(adminUrl(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** The slow lookup, a primary-key lookup and a COUNT(*) > 0 (a verified rewrite) as a workload file. */
export function writeWorkloadFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbo-validate-'));
  const path = join(dir, 'workload.sql');
  writeFileSync(
    path,
    [
      '-- calls: 1000',
      "SELECT id, region FROM accounts WHERE email = 'user4242@example.com';",
      '-- calls: 200',
      'SELECT id, email FROM accounts WHERE id = 17;',
      '-- calls: 20',
      'SELECT (SELECT count(*) FROM accounts WHERE region = 3) > 0;',
      '-- calls: 50',
      'SELECT touch_audit();',
      '',
    ].join('\n'),
  );
  return path;
}

/** Copies of this test process still on the server. */
export async function copiesOf(pid: number): Promise<string[]> {
  return withClient(adminUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`dbopt\\_validate\\_${pid}\\_%`])).rows.map((r) => r.datname),
  );
}
