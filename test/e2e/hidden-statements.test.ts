import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/**
 * A CONNECT-only role (no pg_read_all_stats) sees other roles' statements in pg_stat_statements
 * as "<insufficient privilege>" rows without a queryid: the report counts each of them, not one.
 */
let t: TestDatabase;
const role = `dbo_hidden_${process.pid}`;
const password = 'hidden-stats-pw';

beforeAll(async () => {
  t = await createTestDatabase('hidden_stmts');
  await t.exec(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'; GRANT CONNECT ON DATABASE ${t.name} TO ${role};`);
  // five statement shapes of the admin role in this database: five distinct queryids
  for (let i = 1; i <= 5; i++) await t.exec(`CREATE TABLE h${i} (id int); SELECT count(*) FROM h${i}`);
});
afterAll(async () => {
  await t.exec(`REVOKE CONNECT ON DATABASE ${t.name} FROM ${role}`);
  await t.exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
  await t.exec(`DROP ROLE IF EXISTS ${role}`);
  await t.drop();
});

describe('hidden statements for a role without pg_read_all_stats', () => {
  it('profile counts every <insufficient privilege> row of this database and says how to see them', async (ctx) => {
    if (!t.extensions.has('pg_stat_statements')) ctx.skip();
    const u = new URL(t.url);
    u.username = role;
    u.password = password;
    const r = await runCli(['profile', '--db', u.toString(), '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).not.toContain(password);
    const issues = (JSON.parse(r.stdout) as { workload?: { issues: string[] } }).workload?.issues ?? [];
    const line = issues.find((i) => /statements of other roles are hidden/.test(i));
    expect(line, issues.join('\n')).toBeDefined();
    expect(line).toContain(`GRANT pg_read_all_stats TO ${role}`);
    const reported = Number(/^(\d+) statements/.exec(line ?? '')?.[1]);

    // what the role itself sees, the way the tool reads it (top-level rows of this database)
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    try {
      const seen = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_statements
          WHERE query = '<insufficient privilege>' AND toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(reported).toBe(seen.rows[0]?.n);
    } finally {
      await c.end();
    }
    expect(reported).toBeGreaterThanOrEqual(5);
  });
});
