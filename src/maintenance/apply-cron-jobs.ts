import type { Database } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { jobPrefix } from './job-name.ts';
import { JOB_PREFIX } from './maintenance-job.ts';
import type { MaintenanceJob } from './maintenance-job.ts';

export interface AppliedJob {
  readonly name: string;
  readonly jobId: number;
  readonly action: 'created' | 'updated' | 'unchanged' | 'removed';
}

interface CronJobRow {
  jobid: string;
  jobname: string | null;
  schedule: string;
  command: string;
  database: string;
}

/**
 * Creates or updates our jobs through pg_cron on a read-write session in the scheduler's database,
 * and unschedules our earlier jobs for this database that the plan no longer has. Same names are
 * updated in place (pg_cron upserts by job name and user), so applying twice changes nothing.
 */
export async function applyCronJobs(cron: Database, jobs: readonly MaintenanceJob[], database: string): Promise<AppliedJob[]> {
  try {
    const [ext] = await cron.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'pg_cron'");
    if (ext === undefined) {
      throw new DbOptimizeError('E_NO_PG_CRON', 'config', `pg_cron is not installed in ${cron.databaseName}, the database cron.database_name names`, {
        hint: `run CREATE EXTENSION pg_cron in ${cron.databaseName}, or schedule the printed crontab instead`,
      });
    }
    const sameDatabase = cron.databaseName === database;
    const ours = jobPrefix(database);
    const before = (await cron.query<CronJobRow>(`SELECT jobid::text AS jobid, jobname, schedule, command, database FROM cron.job WHERE jobname LIKE '${JOB_PREFIX}:%'`)).filter(
      (r) => r.jobname?.startsWith(ours) === true,
    );
    const byName = new Map(before.map((r) => [r.jobname ?? '', r]));
    const out: AppliedJob[] = [];
    for (const job of jobs) {
      const old = byName.get(job.name);
      const rows = sameDatabase
        ? await cron.query<{ id: string }>('SELECT cron.schedule($1, $2, $3)::text AS id', [job.name, job.schedule, job.sql])
        : await cron.query<{ id: string }>('SELECT cron.schedule_in_database($1, $2, $3, $4)::text AS id', [job.name, job.schedule, job.sql, database]);
      const action = old === undefined ? 'created' : old.schedule === job.schedule && old.command === job.sql && old.database === database ? 'unchanged' : 'updated';
      out.push({ name: job.name, jobId: Number(rows[0]?.id ?? old?.jobid ?? 0), action });
    }
    const wanted = new Set(jobs.map((j) => j.name));
    for (const r of before) {
      if (wanted.has(r.jobname ?? '')) continue;
      await cron.query('SELECT cron.unschedule($1::bigint)', [r.jobid]);
      out.push({ name: r.jobname ?? '', jobId: Number(r.jobid), action: 'removed' });
    }
    return out;
  } catch (error) {
    if (error instanceof DbOptimizeError) throw error;
    const e = error as { code?: string; message?: string };
    if (e.code === '42501') {
      throw new DbOptimizeError('E_PRIVILEGE', 'privilege', `not allowed to schedule pg_cron jobs in ${cron.databaseName}: ${e.message ?? ''}`, {
        hint: sameDatabaseHint(cron.databaseName, database),
        cause: error,
      });
    }
    throw error;
  }
}

function sameDatabaseHint(cronDatabase: string, database: string): string {
  return cronDatabase === database
    ? 'run as a role with USAGE on schema cron (GRANT USAGE ON SCHEMA cron TO your_role), or use the printed crontab'
    : 'a superuser must GRANT EXECUTE ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean) TO your_role (and USAGE ON SCHEMA cron), or use the printed crontab';
}
