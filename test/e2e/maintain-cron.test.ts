import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobPrefix } from '../../src/maintenance/job-name.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { adminUrl, createTestDatabase, urlFor } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/*
 * maintain on a real server: the jobs are created through pg_cron (which lives in its own
 * database, cron.database_name), they run, and they do what they say. pg_cron 1.4 fires at most
 * once a minute, so the test moves every job to '* * * * *' and waits for the runs it logs.
 */

interface Job {
  name: string;
  schedule: string;
  sql: string;
  why: string;
}
interface MaintainJson {
  maintenance: {
    jobs: Job[];
    cron: { preloaded: boolean; database: string | null };
    applied: { name: string; jobId: number; action: string }[] | null;
    crontab: string;
    plainSql: string;
    pgCron: string;
  };
  findings: { rule: string }[];
}

let t: TestDatabase;
let cronDb: string | null = null;
// scaled-down thresholds: the same --set flags profile takes
const FLAGS = [
  '--set', 'autovacuum-settings.minRows=10000',
  '--set', 'autovacuum-settings.maxDeadBeforeVacuum=1000',
  '--set', 'index-bloat.minSizeBytes=0',
  '--append-only-min-rows', '1000',
  '--retain', 'logs=30',
  '--retain', 'events.created_at=60',
  '--format', 'json',
];

async function cronQuery<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: urlFor(cronDb ?? 'postgres') });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function ourJobs(): Promise<{ jobid: string; jobname: string }[]> {
  return cronQuery<{ jobid: string; jobname: string }>('SELECT jobid::text AS jobid, jobname FROM cron.job WHERE jobname LIKE $1', [`${jobPrefix(t.name)}%`]);
}

beforeAll(async () => {
  t = await createTestDatabase('maintain');
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  cronDb = (await c.query<{ db: string | null }>("SELECT current_setting('cron.database_name', true) AS db")).rows[0]?.db ?? null;
  await c.end();
  await t.exec(`
    CREATE TABLE sessions (id int PRIMARY KEY, data text);
    INSERT INTO sessions SELECT g, 'x' FROM generate_series(1, 20000) g;
    CREATE TABLE logs (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, msg text);
    INSERT INTO logs (created_at, msg) SELECT now() - g * interval '1 hour', 'm' FROM generate_series(1, 2000) g;
    CREATE TABLE queue (id int, payload text);
    INSERT INTO queue SELECT g, repeat('x', 20) FROM generate_series(1, 100000) g;
    CREATE INDEX queue_id_idx ON queue (id);
    DELETE FROM queue WHERE id % 10 <> 0;
    CREATE TABLE events (id bigint, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at);
    DO $$ DECLARE m timestamptz; BEGIN FOR i IN -4..0 LOOP m := date_trunc('month', now()) + make_interval(months => i);
      EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', 'events_' || to_char(m, 'YYYYMM'), m, m + interval '1 month'); END LOOP; END $$;
    ANALYZE;
    UPDATE sessions SET data = 'y';`);
  await t.flushStats();
});

afterAll(async () => {
  if (cronDb !== null) await cronQuery(`SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE $1`, [`${jobPrefix(t.name)}%`]).catch(() => undefined);
  await t.drop();
});

describe('maintain', () => {
  it('plans each kind of job from the thresholds and prints pg_cron, plain SQL and crontab', async () => {
    const r = await runCli(['maintain', '--db', t.url, ...FLAGS]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as MaintainJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    const names = report.maintenance.jobs.map((j) => j.name);
    expect(names).toEqual(
      expect.arrayContaining([
        `${jobPrefix(t.name)}autovacuum-settings:public.sessions`,
        `${jobPrefix(t.name)}vacuum-analyze:public.logs`,
        `${jobPrefix(t.name)}reindex:public.queue_id_idx`,
        `${jobPrefix(t.name)}partitions:public.events`,
        `${jobPrefix(t.name)}partition-retention:public.events`,
        `${jobPrefix(t.name)}archive:public.logs`,
      ]),
    );
    for (const j of report.maintenance.jobs) {
      expect(Object.keys(j).sort()).toEqual(['name', 'schedule', 'sql', 'why']);
      expect(Buffer.byteLength(j.name)).toBeLessThanOrEqual(63);
      expect(report.maintenance.crontab).toContain(`# ${j.name}`);
    }
    expect(report.maintenance.plainSql).toContain('REINDEX INDEX CONCURRENTLY public.queue_id_idx;');
    // the default thresholds find no hot 20k-row table: the same --set as profile is what made it one
    const defaults = JSON.parse((await runCli(['maintain', '--db', t.url, '--format', 'json'])).stdout) as MaintainJson;
    expect(defaults.maintenance.jobs.some((j) => j.name.includes(':autovacuum-settings:'))).toBe(false);
  });

  it('--retain needs a clear time column, and a bad value is a usage error', async () => {
    const r = await runCli(['maintain', '--db', t.url, '--retain', 'queue=30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/name the time column .*no date or timestamp column/);
    expect((await runCli(['maintain', '--db', t.url, '--retain', 'logs=soon'])).code).toBe(2);
    expect((await runCli(['maintain', '--db', t.url, '--set', 'no-such-analyzer.x=1'])).code).toBe(2);
  });

  it('without pg_cron, --apply says so and still prints the plain SQL and crontab', async (ctx) => {
    if (cronDb !== null) ctx.skip(); // this server preloads pg_cron: the next tests cover it
    const r = await runCli(['maintain', '--db', t.url, ...FLAGS, '--apply']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no jobs created: pg_cron is not loaded/);
    const report = JSON.parse(r.stdout) as MaintainJson;
    expect(report.maintenance.applied).toBeNull();
    expect(report.maintenance.crontab).toMatch(/psql -X -q -v ON_ERROR_STOP=1 -d /);
    expect(report.findings.map((f) => f.rule)).toContain('maintain-not-applied');
  });

  it('--apply creates the jobs once, they run through pg_cron and do what they say', async (ctx) => {
    if (cronDb === null) ctx.skip(); // pg_cron is not preloaded on this server
    const first = await runCli(['maintain', '--db', t.url, ...FLAGS, '--apply']);
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as MaintainJson;
    expect(report.maintenance.cron.database).toBe(cronDb);
    expect(report.maintenance.applied?.every((a) => a.action === 'created')).toBe(true);
    const jobs = report.maintenance.jobs;
    // idempotent: the same names are updated in place, never duplicated
    const again = JSON.parse((await runCli(['maintain', '--db', t.url, ...FLAGS, '--apply'])).stdout) as MaintainJson;
    expect(again.maintenance.applied?.map((a) => a.action)).not.toContain('created');
    const scheduled = await ourJobs();
    expect(scheduled.map((j) => j.jobname).sort()).toEqual(jobs.map((j) => j.name).sort());

    const sizeBefore = Number((await t.exec("SELECT pg_relation_size('queue_id_idx') AS s")).rows[0].s);
    // fire the jobs at the next minute and wait for pg_cron's own log of their runs. REINDEX
    // CONCURRENTLY and the ALTER TABLE of the same table deadlock when started together, which the
    // real schedules never do (03:10 daily vs 04:30 on Sundays): the rebuilds get their own minute
    type Run = { jobname: string; status: string; return_message: string };
    const runs: Run[] = [];
    const runNow = async (wave: readonly { jobid: string; jobname: string }[]): Promise<void> => {
      const since = (await cronQuery<{ now: string }>('SELECT now()::text AS now'))[0]?.now;
      for (const j of wave) await cronQuery("SELECT cron.alter_job($1::bigint, schedule => '* * * * *')", [j.jobid]);
      let done: Run[] = [];
      for (let i = 0; i < 150; i++) {
        done = await cronQuery<Run>(
          `SELECT j.jobname, d.status, d.return_message FROM cron.job_run_details d JOIN cron.job j USING (jobid)
           WHERE j.jobid = ANY($1::bigint[]) AND d.start_time >= $2::timestamptz AND d.status IN ('succeeded', 'failed')`,
          [wave.map((j) => j.jobid), since],
        );
        if (new Set(done.map((r) => r.jobname)).size === wave.length) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      for (const j of wave) await cronQuery("SELECT cron.alter_job($1::bigint, schedule => '0 0 1 1 *')", [j.jobid]);
      runs.push(...done);
    };
    await runNow(scheduled.filter((j) => !j.jobname.includes(':reindex:')));
    await runNow(scheduled.filter((j) => j.jobname.includes(':reindex:')));
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
    expect(new Set(runs.map((r) => r.jobname)).size).toBe(jobs.length);

    const q = async (sql: string): Promise<Record<string, unknown>> => (await t.exec(sql)).rows[0] as Record<string, unknown>;
    expect(String((await q("SELECT reloptions::text AS o FROM pg_class WHERE relname = 'sessions'")).o)).toMatch(/autovacuum_vacuum_scale_factor=0.01/);
    expect((await q("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'logs'")).last_vacuum).not.toBeNull();
    expect(Number((await q("SELECT pg_relation_size('queue_id_idx') AS s")).s)).toBeLessThan(sizeBefore / 2);
    const parts = (await t.exec("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass")).rows.map((r) => r.relname as string);
    const next = (await q("SELECT 'events_p' || to_char(date_trunc('month', now()) + interval '2 months', 'YYYYMM') AS n")).n as string;
    expect(parts).toContain(next);
    const old = (await q("SELECT 'events_' || to_char(date_trunc('month', now()) - interval '4 months', 'YYYYMM') AS n")).n as string;
    expect(parts).not.toContain(old);
    expect(Number((await q("SELECT count(*) AS n FROM logs WHERE created_at < now() - interval '30 days'")).n)).toBe(0);
    expect(Number((await q('SELECT count(*) AS n FROM logs_archive')).n)).toBeGreaterThan(0);
    expect(Number((await q('SELECT count(*) AS n FROM db_optimize_size_history')).n)).toBeGreaterThan(0);
  }, 360_000);

  it('--apply as a role that may not use pg_cron: a clear message and exit 3, nothing scheduled', async (ctx) => {
    if (cronDb === null) ctx.skip();
    const role = `dbo_maint_${randomBytes(3).toString('hex')}`;
    const a = new pg.Client({ connectionString: adminUrl() });
    await a.connect();
    await a.query(`CREATE ROLE ${role} LOGIN`);
    try {
      const u = new URL(t.url);
      u.username = role;
      const before = (await ourJobs()).length;
      // cron.database_name is superuser-only: the role is told how to say where pg_cron runs
      const unknown = await runCli(['maintain', '--db', u.toString(), '--apply', '--no-size-history', '--retain', 'logs=30']);
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toMatch(/cannot tell where pg_cron runs: .*--cron-database NAME/s);
      const r = await runCli(['maintain', '--db', u.toString(), '--cron-database', cronDb ?? '', '--apply', '--no-size-history', '--retain', 'logs=30']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/not allowed to schedule pg_cron jobs/);
      expect(r.stderr).toMatch(/GRANT EXECUTE ON FUNCTION cron.schedule_in_database/);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
      // without --apply the same role still gets the plain SQL and crontab
      const plain = await runCli(['maintain', '--db', u.toString(), '--format', 'json', '--retain', 'logs=30']);
      expect(plain.code).toBe(0);
      expect((JSON.parse(plain.stdout) as MaintainJson).maintenance.crontab).toContain(`:archive:public.logs`);
      expect((await ourJobs()).length).toBe(before);
    } finally {
      await a.query(`DROP ROLE ${role}`);
      await a.end();
    }
  });
});
