import { writeFile } from 'node:fs/promises';
import { makeDir } from './make-dir.ts';
import { join, resolve } from 'node:path';
import { autovacuumSettings } from '../analyzers/profile/autovacuum-settings/index.ts';
import { indexBloat } from '../analyzers/profile/index-bloat/index.ts';
import { unusedIndexes } from '../analyzers/profile/unused-indexes/index.ts';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import { Database } from '../collect/connection.ts';
import { collectMaintenanceFacts } from '../collect/maintenance-facts.ts';
import type { MaintenanceFacts } from '../collect/maintenance-facts.ts';
import { runAnalyzers } from '../engine/run-analyzers.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { applyCronJobs } from '../maintenance/apply-cron-jobs.ts';
import type { AppliedJob } from '../maintenance/apply-cron-jobs.ts';
import { planMaintenance, sizeLines, unusedIndexLines } from '../maintenance/plan-maintenance.ts';
import { crontab, jobFileName, pgCronScript, plainSqlScript } from '../maintenance/render-maintenance.ts';
import type { CronTarget } from '../maintenance/render-maintenance.ts';
import { parseRetention } from '../maintenance/retention.ts';
import type { Finding, Report, ReportSection, Snapshot } from '../model/index.ts';
import { wrapProseSections } from '../format/wrap-section-lines.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { commentText } from '../sql/quote.ts';
import { urlForDatabase } from '../validate/copy-database.ts';
import { analyzerThresholds, overridesFor } from './analyzer-thresholds.ts';
import { ANALYSIS_OPTIONS } from './common-options.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, flag, listOption, numberOption, option } from './flow-input.ts';

export const MAINTAIN_OPTIONS = {
  set: ANALYSIS_OPTIONS.set,
  retain: {
    type: 'string',
    multiple: true,
    valueName: 'TABLE[.COLUMN]=DAYS',
    description: 'keep rows this many days: archive older rows in batches (plain table) or drop old partitions (partitioned table)',
  },
  'out-dir': { type: 'string', valueName: 'DIR', description: 'write pg_cron.sql, maintenance.sql, crontab and one SQL file per job there' },
  'cron-database': { type: 'string', valueName: 'NAME', description: 'the database pg_cron runs in (cron.database_name), for a role that may not read that setting' },
  apply: { type: 'boolean', description: 'create or update the pg_cron jobs (its own read-write session in the pg_cron database)' },
  'append-only-min-rows': { type: 'string', valueName: 'N', description: 'scheduled VACUUM (ANALYZE) for append-only tables with at least N live rows (default 100000)' },
  'append-only-max-churn': { type: 'string', valueName: 'RATIO', description: 'append-only: updates + deletes at most this share of inserts (default 0.01)' },
  premake: { type: 'string', valueName: 'N', description: 'partitions created ahead of the current one (default 3)' },
  'archive-batch': { type: 'string', valueName: 'N', description: 'rows moved per archive run (default 10000)' },
  'no-size-history': { type: 'boolean', description: 'no daily job recording table and index sizes in public.db_optimize_size_history' },
} as const;

const MAINTAIN_ANALYZERS = [autovacuumSettings, indexBloat, unusedIndexes];

/** Maintenance jobs (pg_cron, plain SQL, crontab) from the same thresholds as profile. */
async function runMaintain(input: FlowInput): Promise<Report> {
  const thresholds = analyzerThresholds(input);
  const apply = flag(input, 'apply');
  const outDir = option(input, 'out-dir');
  const appendOnlyMinRows = numberOption(input, 'append-only-min-rows', { min: 1, integer: true }) ?? 100_000;
  const appendOnlyMaxChurn = numberOption(input, 'append-only-max-churn', { min: 0, max: 1 }) ?? 0.01;
  const premake = numberOption(input, 'premake', { min: 0, max: 366, integer: true }) ?? 3;
  const archiveBatch = numberOption(input, 'archive-batch', { min: 1, max: 10_000_000, integer: true }) ?? 10_000;
  const retainSpecs = listOption(input, 'retain');

  let snapshot: Snapshot;
  let facts: MaintenanceFacts;
  const db = await connect(input);
  try {
    input.logger.info(`connected to ${db.display} (read-only session)`);
    snapshot = await collectSnapshot(db);
    facts = await collectMaintenanceFacts(db);
  } finally {
    await db.close();
  }
  const retention = retainSpecs.map((s) => parseRetention(s, snapshot));
  const analysis = await runAnalyzers({ analyzers: MAINTAIN_ANALYZERS, depth: 5, snapshot, workload: null, options: overridesFor(thresholds.overrides, MAINTAIN_ANALYZERS) });
  const plan = planMaintenance({ snapshot, facts, findings: analysis.findings, retention, appendOnlyMinRows, appendOnlyMaxChurn, premake, archiveBatch, sizeHistory: !flag(input, 'no-size-history') });
  const database = snapshot.server.database;
  const cronDatabase = option(input, 'cron-database') ?? facts.cron.database;
  const target: CronTarget = { cronDatabase, database };
  const pgCron = pgCronScript(plan.jobs, target, facts.cron);
  const plainSql = plainSqlScript(plan.jobs, database);
  const cronLines = crontab(plan.jobs, database, outDir === undefined ? null : resolve(outDir, 'jobs'));
  const notes = [...plan.notes];
  const findings: Finding[] = [...analysis.findings];

  if (outDir !== undefined) {
    try {
      await makeDir(join(outDir, 'jobs'));
      await writeFile(join(outDir, 'pg_cron.sql'), pgCron);
      await writeFile(join(outDir, 'maintenance.sql'), plainSql);
      await writeFile(join(outDir, 'crontab'), cronLines);
      for (const job of plan.jobs) await writeFile(join(outDir, 'jobs', jobFileName(job)), `${job.sql.trimEnd()};\n`);
    } catch (error) {
      throw new DbOptimizeError('E_WRITE', 'usage', `cannot write to ${outDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    input.logger.info(`wrote pg_cron.sql, maintenance.sql, crontab and ${plan.jobs.length} job files to ${outDir}`);
  }

  const cronMessage = cronLocation(facts, cronDatabase, database);
  notes.unshift(cronMessage);

  let applied: AppliedJob[] | null = null;
  if (apply) {
    if (facts.cron.preloaded === false) {
      input.logger.warn(`--apply: no jobs created: ${cronMessage}`);
      findings.push(notAppliedFinding(cronMessage));
    } else if (cronDatabase === null) {
      throw new DbOptimizeError('E_PRIVILEGE', 'privilege', `--apply: cannot tell where pg_cron runs: ${cronMessage}`, {
        hint: 'the plain SQL and crontab need no pg_cron: run without --apply to print them (--out-dir DIR writes them)',
      });
    } else {
      const cronUrl = urlForDatabase(option(input, 'db'), input.env, cronDatabase);
      const rw = await Database.connect({ url: cronUrl, env: input.env, readWrite: true, maxConnections: 1 });
      try {
        input.logger.warn(`--apply: scheduling ${plan.jobs.length} pg_cron jobs from ${rw.display}`);
        applied = await applyCronJobs(rw, plan.jobs, database);
      } finally {
        await rw.close();
      }
    }
  }

  if (outDir === undefined) notes.push('--out-dir DIR writes pg_cron.sql, maintenance.sql (plain SQL), crontab and one file per job; --format json carries them under "maintenance"');
  const sections: ReportSection[] = wrapProseSections([
    {
      id: 'maintain-jobs',
      title: `Maintenance jobs (${plan.jobs.length})`,
      lines:
        plan.jobs.length === 0
          ? ['nothing to schedule with the current thresholds']
          : plan.jobs.flatMap((j) => [`- ${commentText(j.name)} (${j.schedule} UTC)`, `  why: ${commentText(j.why)}`, ...j.sql.split('\n').map((l) => `    ${l}`)]),
    },
    { id: 'maintain-sizes', title: 'Largest tables', lines: sizeLines(snapshot) },
    { id: 'maintain-unused-indexes', title: 'Unused indexes (review; never dropped by a job)', lines: unusedIndexLines(analysis.findings) },
    ...(applied === null ? [] : [{ id: 'maintain-applied', title: 'pg_cron jobs applied', lines: applied.map((a) => `- ${a.action}: ${commentText(a.name)} (jobid ${a.jobId})`) }]),
    { id: 'maintain-notes', title: 'Notes', lines: notes.map((n) => `- ${n}`) },
  ]);
  return buildReport({
    command: 'maintain',
    generatedAt: new Date().toISOString(),
    database: databaseInfo(snapshot, db.display),
    findings,
    skipped: analysis.skipped,
    sections,
    extra: {
      maintenance: {
        jobs: plan.jobs.map((j) => ({ name: j.name, schedule: j.schedule, sql: j.sql, why: j.why })),
        cron: { preloaded: facts.cron.preloaded, database: cronDatabase, installedHere: facts.cron.installedHere, method: cronDatabase === database ? 'cron.schedule' : 'cron.schedule_in_database' },
        pgCron,
        plainSql,
        crontab: cronLines,
        applied,
        notes,
      },
    },
  });
}

/** Where the jobs get scheduled, and how to get there: pg_cron reads cron.job in one database only. */
function cronLocation(facts: MaintenanceFacts, cronDatabase: string | null, database: string): string {
  if (facts.cron.preloaded === false) {
    return 'pg_cron is not loaded on this server (no cron.database_name): use the crontab or the plain SQL, or add pg_cron to shared_preload_libraries, restart and CREATE EXTENSION pg_cron';
  }
  if (cronDatabase === null) {
    return 'this role cannot read cron.database_name (superuser or pg_read_all_settings only): GRANT pg_read_all_settings to it, or pass --cron-database NAME';
  }
  const how = cronDatabase === database ? 'cron.schedule runs them here' : `run pg_cron.sql there (psql -d ${cronDatabase}); jobs run in ${database} through cron.schedule_in_database`;
  return `pg_cron's scheduler reads database ${cronDatabase} (cron.database_name): ${how}`;
}

function notAppliedFinding(message: string): Finding {
  return {
    rule: 'maintain-not-applied',
    severity: 'warning',
    title: '--apply created no jobs: pg_cron is not available',
    target: { kind: 'database', name: 'pg_cron' },
    evidence: { reason: message },
    impact: { score: 0, summary: 'the jobs are printed as plain SQL and a crontab instead' },
    description: message,
  };
}

export const maintainFlow = defineFlow({ name: 'maintain', common: ['connection', 'report'], options: MAINTAIN_OPTIONS, configKeys: ['analyzers'], run: runMaintain });

export type MaintainOptions = LibraryOptions<typeof MAINTAIN_OPTIONS>;

export function maintain(options: MaintainOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(maintainFlow, options, context);
}
