import type { StatsAgeBasis } from '../model/index.ts';

/** Words for the report: where the statistics window comes from. */
export const STATS_AGE_BASIS_TEXT: Readonly<Record<StatsAgeBasis, string>> = {
  stats_reset: 'since pg_stat_database.stats_reset',
  stats_discarded: 'since the statistics were last discarded (initdb or crash recovery; they survive clean restarts)',
  database_created: 'since the database was created (statistics never reset)',
  maintenance: 'at least since the oldest vacuum/analyze time (counters survived a restart; their start is unknown)',
  server_start: 'at least since server start (a lower bound: counters survive clean restarts)',
};
