import type { YamlValue } from './yaml.ts';
import { toYaml } from './yaml.ts';

/**
 * Custom queries for postgres_exporter (--extend.query-path): the measures profile uses that the
 * exporter's built-in collectors lack or define differently (client connections against the usable
 * slots, statement and idle-in-transaction ages, xid age, dead tuples, pg_stat_statements). Each
 * query returns at least one row where it can, so the series exist before anything goes wrong.
 */
export interface ExporterQuery {
  readonly name: string;
  readonly query: string;
  readonly metrics: readonly { readonly column: string; readonly usage: 'LABEL' | 'GAUGE' | 'COUNTER'; readonly description: string }[];
}

/** Metric name the exporter gives a query column. */
export function metricName(query: string, column: string): string {
  return `${query}_${column}`;
}

export function exporterQueries(pgMajor: number): ExporterQuery[] {
  const gauge = (column: string, description: string) => ({ column, usage: 'GAUGE' as const, description });
  const counter = (column: string, description: string) => ({ column, usage: 'COUNTER' as const, description });
  const label = (column: string, description: string) => ({ column, usage: 'LABEL' as const, description });
  return [
    {
      name: 'pg_dbopt_connections',
      query:
        "SELECT count(*) FILTER (WHERE backend_type = 'client backend') AS clients, " +
        "current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int" +
        (pgMajor >= 16 ? " - current_setting('reserved_connections')::int" : '') +
        ' AS usable FROM pg_stat_activity',
      metrics: [gauge('clients', 'client connections (connection-usage)'), gauge('usable', 'max_connections minus the reserved slots')],
    },
    {
      name: 'pg_dbopt_activity',
      query:
        "SELECT COALESCE(max(EXTRACT(EPOCH FROM now() - query_start)) FILTER (WHERE state = 'active'), 0) AS max_active_query_seconds, " +
        "COALESCE(max(EXTRACT(EPOCH FROM now() - state_change)) FILTER (WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')), 0) AS max_idle_in_transaction_seconds " +
        "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
      metrics: [
        gauge('max_active_query_seconds', 'age of the longest-running statement (long-running-queries)'),
        gauge('max_idle_in_transaction_seconds', 'longest time a session has been idle in transaction (idle-in-transaction)'),
      ],
    },
    {
      name: 'pg_dbopt_replication',
      query:
        "SELECT count(*) AS standbys, count(*) FILTER (WHERE state <> 'streaming') AS not_streaming, " +
        'COALESCE(max(EXTRACT(EPOCH FROM replay_lag)), 0) AS max_replay_lag_seconds, ' +
        'COALESCE(max(CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) END), 0) AS max_lag_bytes FROM pg_stat_replication',
      metrics: [
        gauge('standbys', 'connected standbys'),
        gauge('not_streaming', 'standbys not in the streaming state (replication-lag)'),
        gauge('max_replay_lag_seconds', 'largest replay lag of a standby (replication-lag)'),
        gauge('max_lag_bytes', 'largest WAL distance of a standby behind this primary (replication-lag)'),
      ],
    },
    {
      name: 'pg_dbopt_database',
      query: 'SELECT datname, age(datfrozenxid) AS xid_age, mxid_age(datminmxid) AS mxid_age FROM pg_database WHERE datallowconn',
      metrics: [label('datname', 'database'), gauge('xid_age', 'age of the oldest unfrozen transaction id (xid-wraparound)'), gauge('mxid_age', 'age of the oldest multixact (xid-wraparound)')],
    },
    {
      name: 'pg_dbopt_tables',
      query:
        'SELECT current_database() AS datname, schemaname, relname, n_dead_tup AS dead, n_live_tup AS live FROM pg_stat_user_tables ORDER BY n_dead_tup DESC, relid LIMIT 20',
      metrics: [
        label('datname', 'database'),
        label('schemaname', 'schema'),
        label('relname', 'table'),
        gauge('dead', 'dead tuples (dead-tuples; the 20 tables with the most)'),
        gauge('live', 'live tuples'),
      ],
    },
    {
      name: 'pg_dbopt_checkpoints',
      query:
        pgMajor >= 17
          ? 'SELECT num_timed AS timed, num_requested AS requested FROM pg_stat_checkpointer'
          : 'SELECT checkpoints_timed AS timed, checkpoints_req AS requested FROM pg_stat_bgwriter',
      metrics: [counter('timed', 'checkpoints started by checkpoint_timeout (checkpoint-frequency)'), counter('requested', 'checkpoints forced by max_wal_size or requested')],
    },
    {
      name: 'pg_dbopt_statements',
      query:
        'SELECT queryid::text AS queryid, calls, total_exec_time / 1000 AS exec_seconds FROM pg_stat_statements ' +
        'WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND queryid IS NOT NULL ORDER BY total_exec_time DESC LIMIT 100',
      metrics: [label('queryid', 'pg_stat_statements queryid'), counter('calls', 'calls (slow-statements)'), counter('exec_seconds', 'total execution time in seconds (slow-statements)')],
    },
  ];
}

/** Every metric name the custom queries produce (labels excluded). */
export function exporterMetricNames(queries: readonly ExporterQuery[]): string[] {
  return queries.flatMap((q) => q.metrics.filter((m) => m.usage !== 'LABEL').map((m) => metricName(q.name, m.column)));
}

/** The queries file in postgres_exporter's format. */
export function exporterQueriesYaml(queries: readonly ExporterQuery[]): string {
  const doc: Record<string, YamlValue> = {};
  for (const q of queries) {
    doc[q.name] = { query: q.query, master: true, metrics: q.metrics.map((m) => ({ [m.column]: { usage: m.usage, description: m.description } })) };
  }
  return toYaml(doc, [
    'db-optimize monitor: custom queries for postgres_exporter (--extend.query-path=FILE or PG_EXPORTER_EXTEND_QUERY_PATH)',
    'pg_dbopt_statements needs CREATE EXTENSION pg_stat_statements in the database the exporter connects to',
  ]);
}
