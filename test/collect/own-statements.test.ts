import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('own_statements');
  await t.exec(`CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g % 7 FROM generate_series(1, 1000) g; ANALYZE items;`);
});
afterAll(async () => {
  await t.drop();
});

/** Entries pg_stat_statements holds for the test database (read on a session that is not ours). */
async function entries(): Promise<string[]> {
  const c = await t.client();
  try {
    const r = await c.query<{ query: string }>(`SELECT query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    return r.rows.map((x) => x.query);
  } finally {
    await c.end();
  }
}

describe('our own statements and pg_stat_statements', () => {
  it('grows only by the user statements across runs', async () => {
    const su = await t.exec(`SELECT current_setting('is_superuser') AS su`);
    if (!t.extensions.has('pg_stat_statements') || su.rows[0]?.su !== 'on') return;
    const c = await t.client();
    for (let i = 0; i < 5; i++) await c.query('SELECT * FROM items WHERE v = $1', [i]);
    await c.end();
    await entries(); // our reading of pg_stat_statements is a user statement too: recorded once, here
    expect((await runCli(['profile', '--db', t.url, '--format', 'json'])).code).toBe(0);
    const afterFirst = await entries();
    expect((await runCli(['full', '--db', t.url, '--format', 'json', '--depth', '3'])).code).toBe(0);
    const afterSecond = await entries();
    // the second run adds nothing: every statement we send is untracked after the session setup
    expect(afterSecond.filter((q) => !afterFirst.includes(q))).toEqual([]);
    // and of ours only the session setup itself (tracked before it turns tracking off) is there
    expect(afterFirst.filter((q) => q.includes('/* db-optimize */') && !/set_config\('pg_stat_statements\.track'/.test(q))).toEqual([]);
  }, 240_000);
});
