import type { MaintenanceFacts } from '../collect/maintenance-facts.ts';
import { formatBytes, formatCount, percent } from '../format/format.ts';
import type { Finding, Snapshot, Table } from '../model/index.ts';
import { quoteIdent, quoteLiteral, quoteQualified, withSuffix } from '../sql/quote.ts';
import { jobName } from './job-name.ts';
import type { MaintenanceJob } from './maintenance-job.ts';
import { createPartitionsSql, dropOldPartitionsSql, partitionInterval, timeKeyType } from './partition-sql.ts';
import type { Retention } from './retention.ts';

export interface MaintenancePlanInput {
  readonly snapshot: Snapshot;
  readonly facts: MaintenanceFacts;
  /** findings of autovacuum-settings, index-bloat and unused-indexes, with the user's thresholds */
  readonly findings: readonly Finding[];
  readonly retention: readonly Retention[];
  /** append-only detection: at least this many live rows … */
  readonly appendOnlyMinRows: number;
  /** … and updates + deletes at most this share of the inserts */
  readonly appendOnlyMaxChurn: number;
  /** partitions created ahead of time */
  readonly premake: number;
  /** rows moved per archive run */
  readonly archiveBatch: number;
  readonly sizeHistory: boolean;
}

export interface MaintenancePlan {
  readonly jobs: readonly MaintenanceJob[];
  readonly notes: readonly string[];
}

const SCHEDULES = {
  'autovacuum-settings': '10 3 * * *',
  'vacuum-analyze': '20 3 * * *',
  reindex: '30 4 * * 0',
  partitions: '5 0 * * *',
  'partition-retention': '15 0 * * *',
  partman: '7 * * * *',
  archive: '*/5 * * * *',
  'size-history': '0 6 * * *',
} as const;

/** Maintenance jobs from the snapshot and the profile analyzers' findings (pure: no clock, no I/O). */
export function planMaintenance(input: MaintenancePlanInput): MaintenancePlan {
  const { snapshot } = input;
  const db = snapshot.server.database;
  const jobs: MaintenanceJob[] = [];
  const notes: string[] = [];
  const job = (kind: MaintenanceJob['kind'], target: string, sql: string, why: string): void => {
    jobs.push({ name: jobName(db, kind, target), schedule: SCHEDULES[kind], sql, why, kind, target });
  };

  for (const f of input.findings.filter((x) => x.rule === 'autovacuum-settings')) {
    const table = f.target.relation ?? '';
    if (f.evidence.suggestedScaleFactor === undefined || f.fix === undefined) {
      notes.push(`${f.title}: not scheduled (re-enabling autovacuum is a decision for the table's owner): ${f.fix?.content ?? ''}`);
      continue;
    }
    // a brief SHARE UPDATE EXCLUSIVE lock: give up (and retry tomorrow) rather than queue behind a long REINDEX or DDL
    job('autovacuum-settings', table, `SET lock_timeout = '5s';\n${f.fix.content}`, `${f.impact.summary} (autovacuum-settings; re-applied daily so a migration that resets it is corrected; undo: ${f.fix.rollback ?? ''})`);
  }

  for (const { table: t, inserts, changes } of appendOnlyTables(snapshot.tables, input.appendOnlyMinRows, input.appendOnlyMaxChurn)) {
    job(
      'vacuum-analyze',
      t.qualifiedName,
      `VACUUM (ANALYZE, SKIP_LOCKED) ${t.qualifiedName}`,
      `append-only${t.kind === 'partitioned' ? ' (its partitions together)' : ''}: ${formatCount(inserts)} inserts against ${formatCount(changes)} updates and deletes since the stats reset; ` +
        'a daily VACUUM keeps the visibility map current (index-only scans skip the heap) and freezes rows in small steps instead of one anti-wraparound pass',
    );
  }

  for (const f of input.findings.filter((x) => x.rule === 'index-bloat')) {
    const index = f.target.index ?? '';
    job('reindex', index, `REINDEX INDEX CONCURRENTLY ${index}`, `${f.title}: ${f.impact.summary} (index-bloat; reads and writes continue during the rebuild)`);
  }

  partitionJobs(input, job, notes);

  for (const r of input.retention.filter((x) => !x.partitioned)) {
    const archive = quoteQualified(r.schema, withSuffix(r.name, '_archive'));
    const source = quoteQualified(r.schema, r.name);
    const col = quoteIdent(r.column);
    const older = `${col} < now() - make_interval(days => ${Math.trunc(r.days)})`;
    job(
      'archive',
      source,
      `CREATE TABLE IF NOT EXISTS ${archive} (LIKE ${source});\n` +
        `WITH batch AS (SELECT ctid FROM ${source} WHERE ${older} LIMIT ${Math.trunc(input.archiveBatch)} FOR UPDATE SKIP LOCKED),\n` +
        `     moved AS (DELETE FROM ${source} WHERE ctid = ANY (ARRAY(SELECT ctid FROM batch)) RETURNING *)\n` +
        `INSERT INTO ${archive} SELECT * FROM moved`,
      `retention ${r.days} days on ${r.column} (--retain): moves at most ${formatCount(input.archiveBatch)} older rows per run into ${archive}, ` +
        'in short transactions that skip locked rows, so the table is never locked for long',
    );
  }

  if (input.sizeHistory) {
    const history = quoteQualified('public', 'db_optimize_size_history');
    job(
      'size-history',
      db,
      `CREATE TABLE IF NOT EXISTS ${history} (captured_at timestamptz NOT NULL, relation text NOT NULL, kind "char" NOT NULL, total_bytes bigint NOT NULL, PRIMARY KEY (captured_at, relation));\n` +
        // a relation dropped while the job reads pg_class (a retention job in the same minute) has no size: skip it
        `INSERT INTO ${history} SELECT * FROM (SELECT now(), c.oid::regclass::text, c.relkind, pg_total_relation_size(c.oid) AS total_bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ` +
        `WHERE c.relkind IN ('r', 'm', 'i') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%') s WHERE s.total_bytes IS NOT NULL ON CONFLICT DO NOTHING`,
      `size tracking: one row per table and index per day in ${history}, to see growth and plan disk (${formatBytes(snapshot.database?.sizeBytes ?? 0)} today)`,
    );
  }
  return { jobs, notes };
}

/**
 * Tables that only grow: many inserts, almost no updates or deletes. Partitions count towards their
 * parent (one VACUUM of the parent covers them all; a job per daily partition would not scale).
 */
export function appendOnlyTables(tables: readonly Table[], minRows: number, maxChurn: number): { table: Table; inserts: number; changes: number }[] {
  const totals = new Map<string, { table: Table; inserts: number; changes: number; live: number }>();
  const byName = new Map(tables.map((t) => [t.qualifiedName, t]));
  for (const t of tables) {
    const a = t.activity;
    if (a === null || t.kind !== 'table') continue;
    const owner = t.isPartition && t.parent !== null ? (byName.get(t.parent) ?? t) : t;
    const sum = totals.get(owner.qualifiedName) ?? { table: owner, inserts: 0, changes: 0, live: 0 };
    sum.inserts += a.nTupIns;
    sum.changes += a.nTupUpd + a.nTupDel;
    sum.live += a.nLiveTup;
    totals.set(owner.qualifiedName, sum);
  }
  return [...totals.values()].filter((x) => x.live >= minRows && x.inserts > 0 && x.changes <= x.inserts * maxChurn).map(({ table, inserts, changes }) => ({ table, inserts, changes }));
}

function partitionJobs(input: MaintenancePlanInput, job: (kind: MaintenanceJob['kind'], target: string, sql: string, why: string) => void, notes: string[]): void {
  const { facts } = input;
  const managed = new Set((facts.partman?.managed ?? []).map((m) => m.parent));
  const partmanParents = facts.partitioned.filter((p) => managed.has(`${p.schema}.${p.name}`));
  if (facts.partman !== null && partmanParents.length > 0) {
    job(
      'partman',
      input.snapshot.server.database,
      `CALL ${quoteIdent(facts.partman.schema)}.run_maintenance_proc()`,
      `pg_partman ${facts.partman.version} manages ${partmanParents.map((p) => p.parent).join(', ')}: its maintenance creates the next partitions and applies part_config.retention`,
    );
    for (const r of input.retention.filter((x) => x.partitioned && managed.has(`${x.schema}.${x.name}`))) {
      notes.push(
        `retention for ${quoteQualified(r.schema, r.name)} is pg_partman's: UPDATE ${quoteIdent(facts.partman.schema)}.part_config SET retention = ${quoteLiteral(`${r.days} days`)}, ` +
          `retention_keep_table = false WHERE parent_table = ${quoteLiteral(`${r.schema}.${r.name}`)};`,
      );
    }
  }
  for (const p of facts.partitioned) {
    if (managed.has(`${p.schema}.${p.name}`)) continue;
    const interval = partitionInterval(p);
    const keyType = timeKeyType(p);
    if (interval === null || keyType === null) {
      notes.push(`${p.parent} (${p.keyDefinition}): no partition job: only single-column RANGE keys on date/timestamp with evenly sized partitions (day, week, month, year) are automated`);
      continue;
    }
    job(
      'partitions',
      p.parent,
      createPartitionsSql(p, interval, keyType, input.premake),
      `${p.parent} is partitioned by ${interval} on ${p.keyColumn ?? '?'} (${p.partitions.length} partitions): creates this ${interval}'s and the next ${input.premake} partitions ahead of the inserts` +
        (facts.partman === null ? '' : ` (pg_partman is installed: ${quoteIdent(facts.partman.schema)}.create_parent could manage it instead)`),
    );
    const r = input.retention.find((x) => x.partitioned && `${quoteQualified(x.schema, x.name)}` === p.parent);
    if (r !== undefined) {
      job(
        'partition-retention',
        p.parent,
        dropOldPartitionsSql(p, keyType, r.days),
        `retention ${r.days} days (--retain): detaches and drops the partitions whose whole range is older; dropping a partition is instant and leaves no bloat, unlike DELETE`,
      );
    }
  }
}

/** One line per unused index, with the drop to review (never scheduled: dropping is a decision). */
export function unusedIndexLines(findings: readonly Finding[]): string[] {
  const unused = findings.filter((f) => f.rule === 'unused-indexes');
  if (unused.length === 0) return ['no unused indexes (unused-indexes thresholds)'];
  return unused.map((f) => `- ${f.title} [${f.severity}]${f.fix === undefined ? '' : `\n  review, then: ${f.fix.content}`}`);
}

/** The largest tables with their share of the database. */
export function sizeLines(snapshot: Snapshot, limit = 10): string[] {
  const total = snapshot.database?.sizeBytes ?? 0;
  return [...snapshot.tables]
    .filter((t) => !t.isPartition)
    .sort((a, b) => b.totalBytes - a.totalBytes)
    .slice(0, limit)
    .map((t) => `- ${t.qualifiedName}: ${formatBytes(t.totalBytes)} (table ${formatBytes(t.tableBytes)}, indexes ${formatBytes(t.indexesBytes)}${total > 0 ? `, ${percent(t.totalBytes / total)} of the database` : ''}), ~${formatCount(Math.max(0, t.rowEstimate))} rows`);
}
