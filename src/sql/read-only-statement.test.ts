import { beforeAll, describe, expect, it } from 'vitest';
import { initSqlParser } from './parser.ts';
import { assertReadOnlyStatement } from './read-only-statement.ts';

beforeAll(async () => {
  await initSqlParser();
});

describe('assertReadOnlyStatement (statements from a model)', () => {
  it.each([
    'SELECT 1',
    'select * from orders o join users u on u.id = o.user_id where o.status = $1 order by o.id limit 10',
    'WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval \'1 day\') SELECT count(*) FROM recent',
    'VALUES (1), (2)',
    'TABLE orders',
    'SELECT 1 UNION ALL SELECT 2',
    "SELECT 'BEGIN; DROP TABLE orders' AS text_with_semicolon",
    'SELECT 1;',
  ])('accepts %s', (sql) => {
    expect(() => assertReadOnlyStatement(sql)).not.toThrow();
  });

  it.each([
    ['SELECT 1; SELECT 2', /2 statements/],
    ['COMMIT; DROP TABLE orders', /2 statements/],
    ['SELECT 1; COMMIT; DROP TABLE t', /3 statements/],
    ['SET default_transaction_read_only = off', /not a SELECT but VARIABLE SET/],
    ['RESET ALL', /not a SELECT/],
    ['BEGIN READ WRITE', /not a SELECT but TRANSACTION/],
    ['WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d', /data-modifying CTE/],
    ['WITH u AS (UPDATE orders SET total = 0 RETURNING id) SELECT 1', /runs UPDATE/],
    ['WITH x AS (SELECT 1), i AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT * FROM x', /runs INSERT/],
    ['DO $$ BEGIN DROP TABLE orders; END $$', /not a SELECT but DO/],
    ['SELECT pg_terminate_backend(42)', /signals another server process/],
    ['SELECT * FROM (SELECT pg_cancel_backend(pid) FROM pg_stat_activity) s', /signals another server process/],
    ["SELECT lo_import('/etc/passwd')", /large objects/],
    ["SELECT pg_read_file('/etc/passwd')", /server files/],
    ["SELECT set_config('default_transaction_read_only', 'off', false)", /configuration/],
    ["SELECT nextval('orders_id_seq')", /sequence/],
    ["SELECT pg_advisory_lock(1)", /advisory lock/],
    ["SELECT * FROM dblink('host=x', 'DROP TABLE t') AS t(x int)", /another connection/],
    ["COPY orders TO PROGRAM 'rm -rf /'", /not a SELECT but COPY/],
    ['SELECT * FROM orders FOR UPDATE', /row locks/],
    ['SELECT * FROM orders o JOIN users u ON true FOR SHARE OF o', /row locks/],
    ['SELECT * INTO copy_of_orders FROM orders', /creates a table/],
    ['EXPLAIN ANALYZE DELETE FROM orders', /not a SELECT but EXPLAIN/],
    ['CREATE TABLE t AS SELECT 1', /not a SELECT/],
    ['', /does not parse|no statement/],
    ['-- only a comment', /no statement|does not parse/],
  ])('refuses %s', (sql, why) => {
    expect(() => assertReadOnlyStatement(sql)).toThrow(why);
  });

  it('says what was refused and that nothing ran', () => {
    try {
      assertReadOnlyStatement('SELECT 1; DROP TABLE t', 'sql');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_NOT_READ_ONLY', kind: 'usage' });
      expect((error as { message: string }).message).toMatch(/^refused sql: /);
      expect((error as { hint: string }).hint).toMatch(/nothing was sent/);
    }
  });
});
