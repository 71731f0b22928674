import type { MonitorThresholds } from './monitor-thresholds.ts';

interface Panel {
  readonly title: string;
  readonly expr: string;
  readonly legend: string;
  readonly unit: string;
  /** warning then critical; a lower-is-worse panel lists them descending */
  readonly steps: readonly (readonly ['orange' | 'red', number])[];
  readonly lowerIsWorse?: boolean;
}

function panels(t: MonitorThresholds): Panel[] {
  const hit = t.cacheHit.targetPercent;
  return [
    {
      title: 'Buffer cache hit ratio (cache-hit-ratio)',
      expr: '100 * sum by (datname) (rate(pg_stat_database_blks_hit[10m])) / clamp_min(sum by (datname) (rate(pg_stat_database_blks_hit[10m]) + rate(pg_stat_database_blks_read[10m])), 1e-9)',
      legend: '{{datname}}',
      unit: 'percent',
      steps: [['orange', hit], ['red', hit - 10]],
      lowerIsWorse: true,
    },
    {
      title: 'Connections, % of usable slots (connection-usage)',
      expr: '100 * pg_dbopt_connections_clients / clamp_min(pg_dbopt_connections_usable, 1)',
      legend: '{{instance}}',
      unit: 'percent',
      steps: [['orange', t.connections.warnPercent], ['red', t.connections.criticalPercent]],
    },
    {
      title: 'Longest running statement (long-running-queries)',
      expr: 'pg_dbopt_activity_max_active_query_seconds',
      legend: '{{instance}}',
      unit: 's',
      steps: [['orange', t.longRunning.minSeconds], ['red', t.longRunning.criticalSeconds]],
    },
    {
      title: 'Longest idle in transaction (idle-in-transaction)',
      expr: 'pg_dbopt_activity_max_idle_in_transaction_seconds',
      legend: '{{instance}}',
      unit: 's',
      steps: [['orange', t.idleInTransaction.minSeconds], ['red', t.idleInTransaction.criticalSeconds]],
    },
    {
      title: 'Replication replay lag (replication-lag)',
      expr: 'pg_dbopt_replication_max_replay_lag_seconds',
      legend: '{{instance}}',
      unit: 's',
      steps: [['orange', t.replication.maxLagSeconds], ['red', t.replication.criticalLagSeconds]],
    },
    {
      title: 'Transaction ids left before wraparound (xid-wraparound)',
      expr: '2147483648 - pg_dbopt_database_xid_age',
      legend: '{{datname}}',
      unit: 'short',
      steps: [['orange', t.xid.warnRemaining], ['red', t.xid.criticalRemaining]],
      lowerIsWorse: true,
    },
    {
      title: 'Dead tuples, share of live rows (dead-tuples)',
      expr: `(pg_dbopt_tables_dead / clamp_min(pg_dbopt_tables_live, 1)) and pg_dbopt_tables_dead > ${t.deadTuples.minDeadTuples}`,
      legend: '{{schemaname}}.{{relname}}',
      unit: 'percentunit',
      steps: [['orange', t.deadTuples.minDeadRatio], ['red', t.deadTuples.criticalRatio]],
    },
    {
      title: 'Requested checkpoints, share over 6 h (checkpoint-frequency)',
      expr: 'increase(pg_dbopt_checkpoints_requested[6h]) / clamp_min(increase(pg_dbopt_checkpoints_requested[6h]) + increase(pg_dbopt_checkpoints_timed[6h]), 1)',
      legend: '{{instance}}',
      unit: 'percentunit',
      steps: [['orange', t.checkpoints.maxRequestedShare]],
    },
    {
      title: 'Temporary files per day (temp-files)',
      expr: 'sum by (datname) (rate(pg_stat_database_temp_bytes[1h])) * 86400',
      legend: '{{datname}}',
      unit: 'bytes',
      steps: [['orange', t.temp.maxBytesPerDay]],
    },
    {
      title: 'Mean statement time over 1 h, top 10 (slow-statements)',
      expr: `topk(10, 1000 * increase(pg_dbopt_statements_exec_seconds[1h]) / clamp_min(increase(pg_dbopt_statements_calls[1h]), 1) and increase(pg_dbopt_statements_calls[1h]) >= ${t.slow.minCalls})`,
      legend: 'queryid {{queryid}}',
      unit: 'ms',
      steps: [['orange', t.slow.minMeanMs], ['red', t.slow.criticalMeanMs]],
    },
  ];
}

/** A Grafana dashboard (JSON model, Prometheus data source chosen on import) with the alert thresholds drawn as lines. */
export function grafanaDashboard(t: MonitorThresholds): Record<string, unknown> {
  const ds = { type: 'prometheus', uid: '${datasource}' };
  return {
    title: 'PostgreSQL (db-optimize)',
    uid: 'db-optimize-postgres',
    tags: ['postgresql', 'db-optimize'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels: panels(t).map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: ds,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      targets: [{ refId: 'A', datasource: ds, expr: p.expr, legendFormat: p.legend }],
      fieldConfig: {
        defaults: {
          unit: p.unit,
          custom: { thresholdsStyle: { mode: 'line' } },
          thresholds: {
            mode: 'absolute',
            steps: p.lowerIsWorse === true
              ? [{ color: 'red', value: null }, ...p.steps.slice().reverse().map(([, v], k, arr) => ({ color: k === arr.length - 1 ? 'green' : 'orange', value: v }))]
              : [{ color: 'green', value: null }, ...p.steps.map(([color, v]) => ({ color, value: v }))],
          },
        },
        overrides: [],
      },
      options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    })),
  };
}
