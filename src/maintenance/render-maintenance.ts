import type { CronFacts } from '../collect/maintenance-facts.ts';
import { commentText, quoteLiteral, quoteShellArg, sanitizeNamePart } from '../sql/quote.ts';
import type { MaintenanceJob } from './maintenance-job.ts';

/** Where and how the pg_cron jobs get created for a target database. */
export interface CronTarget {
  /** database whose pg_cron scheduler runs the jobs (cron.database_name), null when pg_cron is not loaded */
  readonly cronDatabase: string | null;
  /** the database the jobs maintain */
  readonly database: string;
}

/** cron.schedule where pg_cron lives in the target database, else cron.schedule_in_database (1.4+). */
export function scheduleCall(job: MaintenanceJob, target: CronTarget): string {
  if (target.cronDatabase === target.database) return `SELECT cron.schedule(${quoteLiteral(job.name)}, ${quoteLiteral(job.schedule)}, ${quoteLiteral(job.sql)});`;
  return `SELECT cron.schedule_in_database(${quoteLiteral(job.name)}, ${quoteLiteral(job.schedule)}, ${quoteLiteral(job.sql)}, ${quoteLiteral(target.database)});`;
}

/** The pg_cron script: run in the scheduler's database. Re-running it updates the jobs (same names). */
export function pgCronScript(jobs: readonly MaintenanceJob[], target: CronTarget, cron: CronFacts): string {
  const where = target.cronDatabase ?? 'the database named by cron.database_name (default postgres)';
  const lines = [
    `-- db-optimize maintain: pg_cron jobs for database ${commentText(target.database)}`,
    `-- run this in ${commentText(where)}, e.g. psql -d ${quoteShellArg(target.cronDatabase ?? 'postgres')} -f pg_cron.sql; same names update the existing jobs`,
  ];
  if (cron.preloaded === null && target.cronDatabase === null) {
    lines.push('-- this role cannot read cron.database_name (superuser or pg_read_all_settings only): run this where pg_cron is installed');
  }
  if (cron.preloaded === false) {
    lines.push(
      '-- pg_cron is not loaded on this server: add pg_cron to shared_preload_libraries, set cron.database_name,',
      '-- restart, then CREATE EXTENSION pg_cron in that database (or use the crontab instead)',
    );
  }
  if (target.cronDatabase !== null && target.cronDatabase !== target.database) {
    lines.push('-- cron.schedule_in_database needs pg_cron 1.4+ and, for a role other than a superuser, GRANT EXECUTE ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean)');
  }
  for (const job of jobs) lines.push('', `-- ${commentText(job.why)}`, scheduleCall(job, target));
  return `${lines.join('\n')}\n`;
}

/** The same statements as a plain SQL script (psql -f), one block per job. */
export function plainSqlScript(jobs: readonly MaintenanceJob[], database: string): string {
  const lines = [`-- db-optimize maintain: maintenance statements for database ${commentText(database)}`, '-- VACUUM and REINDEX CONCURRENTLY cannot run inside a transaction: run with psql -f, not inside BEGIN'];
  for (const job of jobs) lines.push('', `-- ${commentText(job.name)} (${job.schedule} UTC): ${commentText(job.why)}`, `${job.sql.trimEnd()};`);
  return `${lines.join('\n')}\n`;
}

/** File name of a job's SQL in --out-dir. */
export function jobFileName(job: MaintenanceJob): string {
  return `${sanitizeNamePart(job.name).slice(0, 100) || 'job'}.sql`;
}

/**
 * crontab lines running psql (connection from PGHOST/PGUSER/~/.pgpass: no password is printed).
 * With a directory the statements come from its files; else inline, on one line, with cron's % escaped.
 */
export function crontab(jobs: readonly MaintenanceJob[], database: string, dir: string | null): string {
  const lines = [
    `# db-optimize maintain: crontab for database ${commentText(database)} (times are UTC: set CRON_TZ=UTC where cron supports it)`,
    'CRON_TZ=UTC',
  ];
  for (const job of jobs) {
    // eslint-disable-next-line no-control-regex
    if (dir === null && /[\x00-\x1f\x7f]/.test(job.target)) {
      // a newline inside a quoted name cannot be put on one crontab line without changing the name
      lines.push(`# ${commentText(job.name)}: its name has control characters: use --out-dir (psql -f) for this job`);
      continue;
    }
    const words = ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database];
    const source = dir === null ? ['-c', job.sql.replace(/\s*\n\s*/g, ' ')] : ['-f', `${dir.replace(/\/+$/, '')}/${jobFileName(job)}`];
    const command = [...words, ...source].map(quoteShellArg).join(' ').replace(/%/g, '\\%');
    lines.push(`# ${commentText(job.name)}`, `${job.schedule} ${command}`);
  }
  return `${lines.join('\n')}\n`;
}
