import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, unlocksWrites } from '../../src/collect/connection.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let tdb: TestDatabase;
let db: Database;

beforeAll(async () => {
  tdb = await createTestDatabase('lock');
  await tdb.exec('CREATE TABLE t (id int); INSERT INTO t VALUES (1)');
  db = await Database.connect({ url: tdb.url, lockReadOnly: true });
});

afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('a Database locked read-only (the MCP server)', () => {
  it.each([
    'BEGIN READ WRITE',
    'START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE',
    'SET default_transaction_read_only = off',
    'SET SESSION transaction_read_only TO 0',
    'RESET default_transaction_read_only',
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE',
  ])('refuses %s before the server sees it, and the session stays read-only', async (sql) => {
    await db.withClient(async (client) => {
      await expect(client.query(sql)).rejects.toMatchObject({ code: 'E_READ_ONLY' });
      const r = await client.query<{ ro: string }>("SELECT current_setting('default_transaction_read_only') AS ro");
      expect(r.rows[0]?.ro).toBe('on');
      await expect(client.query('DELETE FROM t')).rejects.toThrow(/read-only transaction/);
    });
    expect((await tdb.exec('SELECT count(*)::int AS n FROM t')).rows[0]?.n).toBe(1);
  });

  it('refuses a rolled-back write transaction, and still reads', async () => {
    await expect(db.inRolledBackTransaction(async (c) => c.query('DELETE FROM t'), { allowWrites: true })).rejects.toMatchObject({ code: 'E_READ_ONLY' });
    expect(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);
    expect(db.readOnlyLocked).toBe(true);
  });

  it('lends the pool: closing a borrowed handle leaves the sessions to the owner', async () => {
    const borrowed = db.borrowed();
    expect(await borrowed.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await borrowed.close();
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('tells reading statements from write-enabling ones', () => {
    expect(unlocksWrites("SELECT current_setting('default_transaction_read_only')")).toBe(false);
    expect(unlocksWrites('SELECT name, setting FROM pg_settings')).toBe(false);
    expect(unlocksWrites('begin read write')).toBe(true);
  });
});
