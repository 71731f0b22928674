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
    ANALYZE items;
    -- code the statement does not spell out: views (nested), casts, domain checks, policies, aggregates
    CREATE TABLE audit_log (at timestamptz DEFAULT now(), what text);
    CREATE FUNCTION audit(text) RETURNS int LANGUAGE plpgsql VOLATILE AS $$BEGIN INSERT INTO audit_log (what) VALUES ($1); RETURN 1; END$$;
    CREATE VIEW terminator AS SELECT pid, pg_terminate_backend(pid) AS gone FROM pg_stat_activity WHERE application_name = 'victim';
    CREATE VIEW harmless_front AS SELECT pid FROM terminator;
    CREATE VIEW audited_items AS SELECT id, name, audit(name) AS logged FROM items;
    CREATE VIEW numbered AS SELECT id, nextval('counter') AS n FROM items;
    CREATE VIEW eq_view AS SELECT id FROM items WHERE id === 5;
    CREATE TYPE wrapped AS (v int);
    CREATE FUNCTION wrap_locking(int) RETURNS wrapped LANGUAGE plpgsql VOLATILE AS $$BEGIN PERFORM pg_advisory_lock(99); RETURN ROW($1)::wrapped; END$$;
    CREATE CAST (int AS wrapped) WITH FUNCTION wrap_locking(int);
    CREATE FUNCTION step_check(int) RETURNS boolean LANGUAGE sql VOLATILE AS $$SELECT nextval('counter') > 0 AND $1 > 0$$;
    CREATE DOMAIN stepped AS int CHECK (step_check(VALUE));
    CREATE DOMAIN stepped_again AS stepped;
    CREATE VIEW stepped_items AS SELECT id::stepped_again AS id FROM items;
    CREATE TABLE guarded (id int, owner_name text);
    ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
    CREATE POLICY audited ON guarded USING (audit(owner_name) > 0);
    CREATE FUNCTION audit_sum(int, int) RETURNS int LANGUAGE sql VOLATILE AS 'SELECT coalesce($1, 0) + $2';
    CREATE AGGREGATE audited_sum(int) (SFUNC = audit_sum, STYPE = int);
    CREATE VIEW plain_view AS SELECT i.id, lower(i.name) AS name, now() AS at, sum(i.id) OVER () AS total FROM items i;
    CREATE VIEW plain_front AS SELECT p.id, p.name, a.state FROM plain_view p LEFT JOIN pg_stat_activity a ON a.pid = p.id;`);
  victim = await t.client();
  await victim.query(`SET application_name = 'victim'`);
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

describe('code behind views, casts, domains, policies and aggregates is judged like a direct call', () => {
  it('a view (also behind another view) calling pg_terminate_backend is refused and the session survives', async () => {
    await refused('SELECT * FROM terminator', /reads view public\.terminator, which calls pg_terminate_backend\(\)/, /signals another server process/);
    await refused('SELECT count(*) FROM harmless_front', /reads view public\.terminator/, /signals another server process/);
    await refused('SELECT i.id FROM items i WHERE i.id IN (SELECT pid FROM public.harmless_front)', /view public\.terminator/, /signals/);
    expect((await victim.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('views calling a writing user function, nextval or a volatile operator are refused', async () => {
    await refused('SELECT id FROM audited_items WHERE id = 1', /reads view public\.audited_items, which calls audit\(\)/, /public\.audit is not marked STABLE or IMMUTABLE/);
    await refused('SELECT n FROM numbered LIMIT 1', /reads view public\.numbered, which calls nextval\(\)/, /sequence/);
    await refused('SELECT * FROM eq_view', /reads view public\.eq_view, which calls operator ===/, /public\.noisy_eq/);
  });

  it('a cast backed by a volatile function, a domain CHECK and a volatile aggregate are refused', async () => {
    await refused('SELECT (id)::wrapped FROM items WHERE id = 1', /casts integer to public\.wrapped, which calls public\.wrap_locking\(\)/, /VOLATILE/);
    await refused('SELECT CAST(id AS stepped_again) FROM items', /casts to domain public\.stepped \(constraint stepped_check\), which calls step_check\(\)/, /VOLATILE/);
    await refused('SELECT id FROM stepped_items', /domain public\.stepped/, /step_check/);
    await refused('SELECT audited_sum(id) FROM items', /audited_sum\(\)/, /public\.audited_sum is not marked STABLE or IMMUTABLE/);
  });

  it('a row security policy calling a writing function is refused', async () => {
    await refused('SELECT * FROM guarded', /reads public\.guarded under row security policy audited, which calls audit\(\)/, /VOLATILE/);
  });

  it('nothing behind the refusals ran: no log rows, no advisory lock, the sequence did not move', async () => {
    expect((await t.exec('SELECT count(*)::int AS n FROM audit_log')).rows).toEqual([{ n: 0 }]);
    expect((await t.exec(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`)).rows).toEqual([{ n: 0 }]);
    expect((await t.exec('SELECT last_value::int AS v, is_called FROM counter')).rows).toEqual([{ v: 1, is_called: false }]);
  });

  it('views of plain reads (now(), lower(), window sums, system views) run', async () => {
    const r = await runCli(['query', '--db', t.url, '--format', 'json', 'SELECT * FROM plain_front WHERE id < 10']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { statement: { analyzed: boolean } }).statement.analyzed).toBe(true);
    const cast = await runCli(['query', '--db', t.url, '--format', 'json', `SELECT id::text::int, name::varchar(20), sum(id) FROM items GROUP BY 1, 2`]);
    expect(cast.code, cast.stderr).toBe(0);
  });
});
