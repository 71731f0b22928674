import { formatCount, formatDuration } from '../format/format.ts';
import { STATS_AGE_BASIS_TEXT } from '../format/stats-age.ts';
import type { Snapshot, Table } from '../model/index.ts';
import { tableRows } from './column-stats.ts';

/** Where write rates come from: 'auto' picks per table, the others are the `--writes` override. */
export type WriteSourceOption = 'auto' | 'stats' | 'workload';

export interface TableWriteChoice {
  readonly table: string;
  /** 'stats': the larger of pg_stat_user_tables rates and the workload's writes; 'workload': the workload's writes only */
  readonly source: 'stats' | 'workload';
  readonly reason: string;
  /** per-day rate the table counters imply (inserts + non-HOT updates + deletes) */
  readonly statsPerDay: number;
  /** per-day rate of the workload's own writes to the table */
  readonly workloadPerDay: number;
}

export interface WriteModelChoice {
  readonly requested: WriteSourceOption;
  /** 'mixed': some tables read from counters, some from the workload */
  readonly source: 'stats' | 'workload' | 'mixed';
  readonly reason: string;
  readonly tables: readonly TableWriteChoice[];
}

/** Counters younger than this cannot be extrapolated to a day: one burst dominates them. */
const YOUNG_STATS_SECONDS = 3600;
/** A window shorter than this, with every live row inserted in it, is read as a load, not a stream. */
const RECENT_WINDOW_SECONDS = 7 * 86_400;
/** A table written steadily is analyzed/vacuumed many times (every 10–20 % growth); a loaded one a few times. */
const FEW_MAINTENANCE_RUNS = 3;

/** Per-day rate implied by a counter over the statistics window (at least an hour, so minutes are not multiplied out). */
export function perDayRate(count: number, snapshot: Snapshot): number {
  const age = snapshot.server.statsAgeSeconds;
  return age > 0 ? (count * 86_400) / Math.max(age, YOUNG_STATS_SECONDS) : count;
}

/**
 * Index entries per day the counters imply. A partitioned parent has no counters of its own: an
 * index on it is written through every partition, so theirs are summed (those read as a load skipped).
 */
export function statsWritesPerDay(table: Table | undefined, snapshot: Snapshot, sourceFor?: (table: string) => 'stats' | 'workload'): number {
  if (table?.kind === 'partitioned') {
    return snapshot.tables
      .filter((t) => t.parent === table.qualifiedName && sourceFor?.(t.qualifiedName) !== 'workload')
      .reduce((sum, t) => sum + statsWritesPerDay(t, snapshot, sourceFor), 0);
  }
  const a = table?.activity;
  if (a === null || a === undefined) return 0;
  return perDayRate(a.nTupIns + (a.nTupUpd - a.nTupHotUpd) + a.nTupDel, snapshot);
}

function maintenanceRuns(t: Table): number {
  const a = t.activity;
  return a === null ? 0 : a.analyzeCount + a.autoanalyzeCount + a.vacuumCount + a.autovacuumCount;
}

/** Why a table's counters describe a load rather than a steady write stream, or null when they look steady. */
export function loadEvidence(t: Table, snapshot: Snapshot): string | null {
  const a = t.activity;
  if (a === null || a.nTupIns === 0) return null;
  const age = snapshot.server.statsAgeSeconds;
  const basis = snapshot.server.statsAgeBasis;
  const window = `statistics ${formatDuration(age)} old (${STATS_AGE_BASIS_TEXT[basis]}${basis === 'stats_reset' ? ` ${snapshot.server.statsResetAt ?? ''}` : ''})`;
  // counters that outlived a restart are not young, however recent the restart
  const young = age < YOUNG_STATS_SECONDS && basis !== 'maintenance';
  const insertOnly = a.nTupUpd + a.nTupDel <= 0.01 * a.nTupIns;
  const live = tableRows(t);
  const allRowsNew = live > 0 && a.nTupIns >= 0.9 * live;
  if (!insertOnly || !allRowsNew) return young ? `${window}: too young to extrapolate to a day` : null;
  const runs = maintenanceRuns(t);
  const last = [a.lastAnalyze, a.lastAutoanalyze, a.lastVacuum, a.lastAutovacuum].filter((x): x is string => x !== null).sort().at(-1);
  const shape = `n_tup_ins ${formatCount(a.nTupIns)} ≈ n_live_tup ${formatCount(live)} with ${formatCount(a.nTupUpd + a.nTupDel)} updates/deletes`;
  if (age < RECENT_WINDOW_SECONDS) return `${shape} within ${window}: a bulk load or restore`;
  if (runs <= FEW_MAINTENANCE_RUNS)
    return `${shape}, analyzed/vacuumed only ${runs} time(s)${last === undefined ? '' : ` (last ${last})`}: a bulk load or restore, not a steady stream`;
  return null;
}

/**
 * Chooses, per table, whether write rates come from pg_stat_user_tables or from the workload's own
 * writes. Counters after a restore or bulk load hold millions of inserts that will not recur:
 * extrapolated to a day they outweigh any read benefit, so those tables use the workload instead.
 */
export function chooseWriteModel(snapshot: Snapshot, workloadWrites: ReadonlyMap<string, number>, requested: WriteSourceOption): WriteModelChoice {
  const tables: TableWriteChoice[] = [];
  for (const t of snapshot.tables) {
    if (t.kind === 'partitioned') continue;
    const statsPerDay = statsWritesPerDay(t, snapshot);
    const workloadPerDay = workloadWrites.get(t.qualifiedName) ?? 0;
    if (statsPerDay === 0 && workloadPerDay === 0) continue;
    const wl = `the workload's own writes (${formatCount(workloadPerDay)}/day)`;
    if (requested !== 'auto') {
      tables.push({ table: t.qualifiedName, source: requested, reason: `--writes ${requested}`, statsPerDay, workloadPerDay });
      continue;
    }
    const load = loadEvidence(t, snapshot);
    if (load !== null) tables.push({ table: t.qualifiedName, source: 'workload', reason: `${load}; using ${wl}`, statsPerDay, workloadPerDay });
    else
      tables.push({
        table: t.qualifiedName,
        source: 'stats',
        reason: `pg_stat_user_tables counters look like a steady stream (${formatCount(statsPerDay)} writes/day); the larger of those and ${wl}`,
        statsPerDay,
        workloadPerDay,
      });
  }
  partitionedParents(snapshot, workloadWrites, tables);
  tables.sort((x, y) => (x.table < y.table ? -1 : x.table > y.table ? 1 : 0));
  const kinds = new Set(tables.map((t) => t.source));
  const source = kinds.size === 2 ? 'mixed' : kinds.has('workload') ? 'workload' : 'stats';
  const loaded = tables.filter((t) => t.source === 'workload').map((t) => t.table);
  const reason =
    requested !== 'auto'
      ? `--writes ${requested}: ${requested === 'workload' ? "the workload's own writes only" : 'pg_stat_user_tables rates (or the workload’s writes when larger)'}`
      : loaded.length === 0
        ? 'write rates from pg_stat_user_tables (or the workload’s writes when larger): the counters look like steady traffic'
        : `${loaded.length} table(s) look bulk-loaded or have statistics too young to extrapolate (${loaded.slice(0, 5).join(', ')}${loaded.length > 5 ? ', …' : ''}): their write rates come from the workload's own writes; --writes stats overrides`;
  return { requested, source, reason, tables };
}

/** A partitioned parent reads its partitions' counters, each with the model its partition got. */
function partitionedParents(snapshot: Snapshot, workloadWrites: ReadonlyMap<string, number>, tables: TableWriteChoice[]): void {
  const parents = snapshot.tables.filter((t) => t.kind === 'partitioned');
  for (const p of parents) {
    const children = snapshot.tables.filter((t) => t.parent === p.qualifiedName);
    const chosen = new Map(tables.map((t) => [t.table, t.source]));
    const statsPerDay = statsWritesPerDay(p, snapshot, (name) => chosen.get(name) ?? 'stats');
    const workloadPerDay = workloadWrites.get(p.qualifiedName) ?? 0;
    const loaded = children.filter((c) => chosen.get(c.qualifiedName) === 'workload').length;
    if (statsPerDay === 0 && workloadPerDay === 0 && loaded === 0) continue;
    const source = loaded === children.length ? 'workload' : 'stats';
    const reason = `partitioned: an index on it is written through its ${children.length} partition(s); the sum of their counters (${formatCount(statsPerDay)}/day${loaded > 0 ? `, ${loaded} read as a load and left out` : ''}) or the workload's own writes (${formatCount(workloadPerDay)}/day), the larger`;
    tables.push({ table: p.qualifiedName, source, reason, statsPerDay, workloadPerDay });
  }
}
