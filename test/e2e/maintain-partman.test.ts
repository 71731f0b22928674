import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/* Where pg_partman manages a table, maintain schedules pg_partman's own maintenance instead of plain SQL. */

interface MaintainJson {
  maintenance: { jobs: { name: string; sql: string; why: string }[]; notes: string[] };
}

let t: TestDatabase;
let partman = false;
beforeAll(async () => {
  t = await createTestDatabase('maintain_partman');
  partman = (await t.exec("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman'")).rows.length > 0;
  if (!partman) return;
  await t.exec(`
    CREATE SCHEMA partman;
    CREATE EXTENSION pg_partman SCHEMA partman;
    CREATE TABLE measures (id bigint, taken_at timestamptz NOT NULL) PARTITION BY RANGE (taken_at);
    SELECT partman.create_parent(p_parent_table => 'public.measures', p_control => 'taken_at', p_type => 'native', p_interval => 'daily', p_premake => 4);
    INSERT INTO measures VALUES (1, now());`);
});
afterAll(async () => {
  await t.drop();
});

describe('maintain with pg_partman', () => {
  it('schedules run_maintenance_proc for the tables it manages, and that job recreates a missing partition', async (ctx) => {
    if (!partman) ctx.skip();
    const r = await runCli(['maintain', '--db', t.url, '--retain', 'measures=30', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as MaintainJson;
    const job = report.maintenance.jobs.find((j) => j.name.includes(':partman:'));
    expect(job?.sql).toBe('CALL partman.run_maintenance_proc()');
    expect(job?.why).toMatch(/pg_partman 4\.\d+\.\d+ manages public\.measures/);
    // no plain-SQL partition job competes with pg_partman for the same table
    expect(report.maintenance.jobs.some((j) => j.name.includes(':partitions:') || j.name.includes(':partition-retention:'))).toBe(false);
    // retention stays pg_partman's: the note carries the part_config update
    expect(report.maintenance.notes.join('\n')).toMatch(/UPDATE partman\.part_config SET retention = '30 days', retention_keep_table = false WHERE parent_table = 'public\.measures';/);

    const newest = (await t.exec("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'measures'::regclass ORDER BY 1 DESC LIMIT 1")).rows[0].relname as string;
    // pg_partman creates ahead of the newest data (infinite_time_partitions is off by default)
    await t.exec(`DROP TABLE ${newest}`);
    const c = await t.client();
    try {
      await c.query(job?.sql ?? '');
    } finally {
      await c.end();
    }
    const after = (await t.exec("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'measures'::regclass")).rows.map((x) => x.relname as string);
    expect(after).toContain(newest);
  });
});
