import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/** `query` runs EXPLAIN ANALYZE: a statement with side effects must not run without --allow-writes. */
let t: TestDatabase;
let victim: pg.Client;
let victimPid: number;

beforeAll(async () => {
  t = await createTestDatabase('query_side_effects');
  await t.exec(`
    CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
    INSERT INTO items SELECT g, 'Item ' || g FROM generate_series(1, 1000) g;
    CREATE SEQUENCE counter;
    CREATE FUNCTION bump() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 1';
    CREATE FUNCTION pure_double(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';
    CREATE FUNCTION noisy_eq(int, int) RETURNS boolean LANGUAGE sql VOLATILE AS 'SELECT $1 = $2';
    CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = noisy_eq);
    ANALYZE items;`);
  victim = await t.client();
  victimPid = ((await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
});
afterAll(async () => {
  await victim.end().catch(() => undefined);
  await t.drop();
});

async function refused(sql: string, routine: RegExp, why: RegExp): Promise<void> {
  const r = await runCli(['query', '--db', t.url, sql]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(routine);
  expect(r.stderr).toMatch(why);
  expect(r.stderr).toMatch(/--allow-writes/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

describe('query refuses side-effect functions unless --allow-writes', () => {
  it('pg_terminate_backend on a live session is refused and the session survives', async () => {
    await refused(`SELECT pg_terminate_backend(${victimPid})`, /pg_terminate_backend\(\)/, /signals another server process/);
    await refused(`SELECT id FROM items WHERE id IN (SELECT 1 FROM pg_stat_activity WHERE pg_cancel_backend(${victimPid}))`, /pg_cancel_backend/, /signals/);
    expect((await victim.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('pg_reload_conf, advisory locks, nextval and sleeps are refused; nothing ran', async () => {
    await refused('SELECT pg_reload_conf()', /pg_reload_conf\(\)/, /configuration/);
    await refused('SELECT pg_advisory_lock(42)', /pg_advisory_lock\(\)/, /advisory lock/);
    await refused(`WITH s AS (SELECT nextval('counter') AS v) SELECT * FROM s`, /nextval\(\)/, /sequence/);
    await refused('SELECT * FROM items, pg_catalog.pg_sleep(5)', /pg_sleep\(\)/, /sleeps/);
    await refused(`SELECT pg_read_file('postgresql.conf')`, /pg_read_file\(\)/, /server files/);
    const locks = await t.exec(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`);
    expect(locks.rows).toEqual([{ n: 0 }]);
    const seq = await t.exec('SELECT last_value::int AS v, is_called FROM counter');
    expect(seq.rows).toEqual([{ v: 1, is_called: false }]);
  });

  it('user functions and operators not marked STABLE or IMMUTABLE are refused, naming them', async () => {
    await refused('SELECT bump() FROM items WHERE id = 1', /bump\(\)/, /public\.bump is not marked STABLE or IMMUTABLE/);
    await refused('SELECT id FROM items WHERE id === 3', /operator ===/, /public\.noisy_eq/);
  });

  it('a normal SELECT with now(), lower(), random() and an IMMUTABLE user function runs', async () => {
    const r = await runCli(['query', '--db', t.url, '--format', 'json', `SELECT id, lower(name), now(), pure_double(id), random() FROM items WHERE id = 7`]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { statement: { analyzed: boolean } }).statement.analyzed).toBe(true);
  });

  it('--allow-writes runs it (inside BEGIN … ROLLBACK), so the refusal is only a default', async () => {
    const r = await runCli(['query', '--db', t.url, '--allow-writes', '--format', 'json', 'SELECT pg_advisory_xact_lock(7)']);
    expect(r.code, r.stderr).toBe(0);
  });
});
