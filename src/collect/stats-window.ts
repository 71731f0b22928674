import type { StatsAgeBasis } from '../model/index.ts';

export interface StatsWindowInput {
  readonly now: Date;
  /** pg_stat_database.stats_reset (null: never reset by hand) */
  readonly statsReset: string | null;
  readonly startedAt: string | null;
  /** the earliest reset time of the cluster-wide statistics (pg_stat_archiver, pg_stat_bgwriter, pg_stat_wal): set when the statistics were last discarded, at initdb or after a crash */
  readonly statsDiscardedAt: string | null;
  /** when this database was created, when the role may read it (pg_stat_file of its PG_VERSION) */
  readonly databaseCreatedAt: string | null;
  /** every table's last (auto)vacuum/analyze time: counters that hold one are at least that old */
  readonly maintenanceTimes: readonly string[];
}

export interface StatsWindow {
  readonly seconds: number;
  readonly basis: StatsAgeBasis;
}

const ms = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/**
 * How long the table counters have been accumulating. A null stats_reset does not mean "since
 * server start": the counters survive a clean restart (PostgreSQL keeps them on shutdown), and are
 * only discarded at initdb or crash recovery. Their start is then the later of that discard and the
 * database's creation; the server start time is used only as a lower bound when neither is known.
 */
export function statsWindow(input: StatsWindowInput): StatsWindow {
  const now = input.now.getTime();
  const since = (t: number): number => Math.max(0, (now - t) / 1000);
  const reset = ms(input.statsReset);
  if (reset !== null) return { seconds: since(reset), basis: 'stats_reset' };
  const maintained = input.maintenanceTimes.map(ms).filter((t): t is number => t !== null);
  const oldestMaintenance = maintained.length === 0 ? null : Math.min(...maintained);
  const created = ms(input.databaseCreatedAt);
  const discarded = ms(input.statsDiscardedAt);
  const start = [created, discarded].filter((t): t is number => t !== null);
  if (start.length > 0) {
    const counterStart = Math.max(...start);
    // a maintenance time before it means the cluster statistics were reset by hand, not discarded
    if (oldestMaintenance === null || oldestMaintenance >= counterStart)
      return { seconds: since(counterStart), basis: created !== null && created === counterStart ? 'database_created' : 'stats_discarded' };
  }
  const started = ms(input.startedAt);
  const lower = Math.max(oldestMaintenance === null ? 0 : since(oldestMaintenance), started === null ? 0 : since(started));
  return { seconds: lower, basis: oldestMaintenance !== null && started !== null && oldestMaintenance < started ? 'maintenance' : 'server_start' };
}
