import type { MonitorThresholds } from './monitor-thresholds.ts';

/** An input series for promtool, in its expanding notation ('0+10x30'). */
export interface TestSeries {
  readonly series: string;
  readonly values: string;
}

/** Series that make an alert fire (or stay quiet) at evalTime, with the labels it must carry. */
export interface AlertExample {
  readonly series: readonly TestSeries[];
  readonly evalTime: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface AlertRule {
  readonly alert: string;
  /** the profile analyzer whose options set the threshold */
  readonly rule: string;
  readonly severity: 'warning' | 'critical';
  readonly expr: string;
  readonly for: string;
  readonly summary: string;
  readonly description: string;
  readonly fires: AlertExample;
  /** just below the threshold: must not fire (absent when no value is below it) */
  readonly quiet?: AlertExample;
}

const INSTANCE = { instance: 'db:9187', job: 'postgres' };

function sel(metric: string, labels: Readonly<Record<string, string>>): string {
  return `${metric}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

function gaugeExample(metrics: Readonly<Record<string, number>>, labels: Readonly<Record<string, string>> = INSTANCE, evalTime = '20m'): AlertExample {
  return { series: Object.entries(metrics).map(([m, v]) => ({ series: sel(m, labels), values: `${v}x40` })), evalTime, labels };
}

function counterExample(perMinute: Readonly<Record<string, number>>, labels: Readonly<Record<string, string>>, samples: number, evalTime: string, outLabels = labels): AlertExample {
  return { series: Object.entries(perMinute).map(([m, v]) => ({ series: sel(m, labels), values: `0+${v}x${samples}` })), evalTime, labels: outLabels };
}

/** Thresholds are printed as PromQL literals: integers stay integers, others keep their digits. */
function lit(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}

/** The alerting rules, each from the analyzer option that sets the same threshold in profile. */
export function alertRules(t: MonitorThresholds): AlertRule[] {
  const rules: AlertRule[] = [];
  const add = (r: AlertRule): void => void rules.push(r);

  // cache-hit-ratio: critical 10 points under the target, as in profile
  const db = { datname: 'shop', datid: '16384', ...INSTANCE };
  const byDb = { datname: 'shop' };
  const hitRatio =
    'sum by (datname) (rate(pg_stat_database_blks_hit[10m])) / clamp_min(sum by (datname) (rate(pg_stat_database_blks_hit[10m]) + rate(pg_stat_database_blks_read[10m])), 1e-9)';
  const enough = `sum by (datname) (increase(pg_stat_database_blks_hit[10m]) + increase(pg_stat_database_blks_read[10m])) >= ${lit(t.cacheHit.minBlocks)}`;
  const perMinute = Math.max(100_000, Math.ceil(t.cacheHit.minBlocks / 5));
  const hitAt = (ratio: number) => counterExample({ pg_stat_database_blks_hit: Math.round(perMinute * ratio), pg_stat_database_blks_read: perMinute - Math.round(perMinute * ratio) }, db, 40, '30m', byDb);
  const target = t.cacheHit.targetPercent / 100;
  for (const [severity, bound] of [['warning', target], ['critical', target - 0.1]] as const) {
    if (bound <= 0) continue;
    add({
      alert: severity === 'warning' ? 'PostgresCacheHitRatioLow' : 'PostgresCacheHitRatioCritical',
      rule: 'cache-hit-ratio',
      severity,
      expr: `(${hitRatio}) < ${lit(bound)} and ${enough}`,
      for: '15m',
      summary: `Buffer cache hit ratio below ${lit(bound * 100)} %`,
      description: 'Reads that miss shared_buffers go to the OS cache or disk: shared_buffers too small for the working set, or sequential scans of large tables (db-optimize profile: cache-hit-ratio).',
      fires: hitAt(Math.max(0, bound - 0.05)),
      ...(severity === 'warning' ? { quiet: hitAt(Math.min(1, target + (1 - target) / 2)) } : {}),
    });
  }

  // connection-usage: client connections against max_connections minus the reserved slots
  const connExpr = '100 * pg_dbopt_connections_clients / clamp_min(pg_dbopt_connections_usable, 1)';
  for (const [severity, pct] of [['warning', t.connections.warnPercent], ['critical', t.connections.criticalPercent]] as const) {
    add({
      alert: severity === 'warning' ? 'PostgresConnectionsHigh' : 'PostgresConnectionsCritical',
      rule: 'connection-usage',
      severity,
      expr: `${connExpr} >= ${lit(pct)}`,
      for: '5m',
      summary: `Client connections at or above ${lit(pct)} % of the usable slots`,
      description: 'Near max_connections new connections fail with "too many clients already"; idle connections are the usual waste (db-optimize pool, db-optimize pgbouncer).',
      fires: gaugeExample({ pg_dbopt_connections_clients: Math.ceil(pct * 10), pg_dbopt_connections_usable: 1000 }),
      ...(severity === 'warning' && pct > 0 ? { quiet: gaugeExample({ pg_dbopt_connections_clients: Math.ceil(pct * 10) - 1, pg_dbopt_connections_usable: 1000 }) } : {}),
    });
  }

  const age = (alert: string, rule: string, metric: string, warn: number, crit: number, what: string, description: string): void => {
    for (const [severity, seconds] of [['warning', warn], ['critical', crit]] as const) {
      add({
        alert: severity === 'warning' ? alert : `${alert}Critical`,
        rule,
        severity,
        expr: `${metric} >= ${lit(seconds)}`,
        for: '1m',
        summary: `${what} for ${lit(seconds)} s or more`,
        description,
        fires: gaugeExample({ [metric]: seconds }),
        ...(severity === 'warning' && seconds > 0 ? { quiet: gaugeExample({ [metric]: seconds - 1 }) } : {}),
      });
    }
  };
  age('PostgresLongRunningStatement', 'long-running-queries', 'pg_dbopt_activity_max_active_query_seconds', t.longRunning.minSeconds, t.longRunning.criticalSeconds, 'A statement has been running',
    'A long statement holds a snapshot (VACUUM cannot remove rows deleted since it started) and its locks; see pg_stat_activity (db-optimize profile: long-running-queries).');
  age('PostgresIdleInTransaction', 'idle-in-transaction', 'pg_dbopt_activity_max_idle_in_transaction_seconds', t.idleInTransaction.minSeconds, t.idleInTransaction.criticalSeconds,
    'A session has been idle in transaction', 'It holds its locks and the VACUUM horizon until it commits or rolls back; set idle_in_transaction_session_timeout (db-optimize profile: idle-in-transaction).');

  // replication-lag: seconds or bytes behind (warning), far behind or not streaming (critical)
  const repl = 'Reads on the standby see old data and a failover would lose or wait for the missing WAL (db-optimize profile: replication-lag).';
  add({ alert: 'PostgresReplicationLag', rule: 'replication-lag', severity: 'warning', expr: `pg_dbopt_replication_max_replay_lag_seconds >= ${lit(t.replication.maxLagSeconds)}`, for: '5m',
    summary: `A standby replays ${lit(t.replication.maxLagSeconds)} s or more behind`, description: repl,
    fires: gaugeExample({ pg_dbopt_replication_max_replay_lag_seconds: t.replication.maxLagSeconds }), quiet: gaugeExample({ pg_dbopt_replication_max_replay_lag_seconds: Math.max(0, t.replication.maxLagSeconds - 1) }) });
  add({ alert: 'PostgresReplicationLagCritical', rule: 'replication-lag', severity: 'critical', expr: `pg_dbopt_replication_max_replay_lag_seconds >= ${lit(t.replication.criticalLagSeconds)}`, for: '5m',
    summary: `A standby replays ${lit(t.replication.criticalLagSeconds)} s or more behind`, description: repl,
    fires: gaugeExample({ pg_dbopt_replication_max_replay_lag_seconds: t.replication.criticalLagSeconds }) });
  add({ alert: 'PostgresReplicationLagBytes', rule: 'replication-lag', severity: 'warning', expr: `pg_dbopt_replication_max_lag_bytes >= ${lit(t.replication.maxLagBytes)}`, for: '5m',
    summary: `A standby is ${lit(t.replication.maxLagBytes)} bytes of WAL or more behind`, description: repl,
    fires: gaugeExample({ pg_dbopt_replication_max_lag_bytes: t.replication.maxLagBytes }), quiet: gaugeExample({ pg_dbopt_replication_max_lag_bytes: Math.max(0, t.replication.maxLagBytes - 1) }) });
  add({ alert: 'PostgresStandbyNotStreaming', rule: 'replication-lag', severity: 'critical', expr: 'pg_dbopt_replication_not_streaming > 0', for: '5m',
    summary: 'A standby is connected but not streaming', description: repl, fires: gaugeExample({ pg_dbopt_replication_not_streaming: 1 }), quiet: gaugeExample({ pg_dbopt_replication_not_streaming: 0 }) });

  // xid-wraparound: ids left before 2^31
  for (const [kind, metric] of [['Xid', 'pg_dbopt_database_xid_age'], ['Multixact', 'pg_dbopt_database_mxid_age']] as const) {
    const labels = { datname: 'shop', ...INSTANCE };
    for (const [severity, remaining] of [['warning', t.xid.warnRemaining], ['critical', t.xid.criticalRemaining]] as const) {
      add({
        alert: `Postgres${kind}Wraparound${severity === 'critical' ? 'Critical' : ''}`,
        rule: 'xid-wraparound',
        severity,
        expr: `2147483648 - ${metric} < ${lit(remaining)}`,
        for: '5m',
        summary: `Fewer than ${lit(remaining)} ${kind === 'Xid' ? 'transaction ids' : 'multixact ids'} left before wraparound`,
        description: 'At the limit the database stops accepting writes: find what holds the horizon back (long transactions, prepared transactions, replication slots) and VACUUM (FREEZE) the oldest tables (db-optimize profile: xid-wraparound).',
        fires: gaugeExample({ [metric]: 2 ** 31 - remaining + 1 }, labels),
        ...(severity === 'warning' ? { quiet: gaugeExample({ [metric]: 2 ** 31 - remaining }, labels) } : {}),
      });
    }
  }

  // dead-tuples: more than minDeadTuples and at least minDeadRatio of the live rows
  const table = { datname: 'shop', schemaname: 'public', relname: 'orders', ...INSTANCE };
  const live = Math.max(1_000_000, Math.ceil((t.deadTuples.minDeadTuples + 1) / Math.max(t.deadTuples.minDeadRatio, 1e-6)));
  for (const [severity, ratio] of [['warning', t.deadTuples.minDeadRatio], ['critical', t.deadTuples.criticalRatio]] as const) {
    add({
      alert: severity === 'warning' ? 'PostgresDeadTuples' : 'PostgresDeadTuplesCritical',
      rule: 'dead-tuples',
      severity,
      expr: `pg_dbopt_tables_dead > ${lit(t.deadTuples.minDeadTuples)} and pg_dbopt_tables_dead / clamp_min(pg_dbopt_tables_live, 1) >= ${lit(ratio)}`,
      for: '15m',
      summary: `A table has more than ${lit(t.deadTuples.minDeadTuples)} dead tuples, ${lit(ratio * 100)} % or more of its live rows`,
      description: 'Dead row versions that VACUUM has not removed: scans step over them and the table bloats; check autovacuum and what holds the VACUUM horizon (db-optimize profile: dead-tuples).',
      fires: gaugeExample({ pg_dbopt_tables_dead: Math.max(t.deadTuples.minDeadTuples + 1, Math.ceil(ratio * live)), pg_dbopt_tables_live: live }, table, '30m'),
      ...(severity === 'warning' ? { quiet: gaugeExample({ pg_dbopt_tables_dead: t.deadTuples.minDeadTuples, pg_dbopt_tables_live: live }, table, '30m') } : {}),
    });
  }

  // checkpoint-frequency: requested checkpoints as a share of all, over 6 hours
  const req = 'increase(pg_dbopt_checkpoints_requested[6h])';
  const all = `(${req} + increase(pg_dbopt_checkpoints_timed[6h]))`;
  const share = t.checkpoints.maxRequestedShare;
  const cp = (requested: number) => counterExample({ pg_dbopt_checkpoints_requested: requested, pg_dbopt_checkpoints_timed: 100 - requested }, INSTANCE, 420, '390m');
  add({
    alert: 'PostgresCheckpointsRequested',
    rule: 'checkpoint-frequency',
    severity: 'warning',
    expr: `${req} / clamp_min(${all}, 1) > ${lit(share)} and ${all} >= ${lit(t.checkpoints.minCheckpoints)}`,
    for: '15m',
    summary: `More than ${lit(share * 100)} % of checkpoints in 6 h were requested, not timed`,
    description: 'WAL reaches max_wal_size before checkpoint_timeout: more full-page writes and I/O spikes; raise max_wal_size (db-optimize config; profile: checkpoint-frequency).',
    fires: cp(Math.min(100, Math.floor(share * 100) + 1)),
    quiet: cp(Math.max(0, Math.floor(share * 100) - 1)),
  });

  // temp-files: bytes per day written to temporary files
  const perDayExpr = 'sum by (datname) (rate(pg_stat_database_temp_bytes[1h])) * 86400';
  const tempPerMinute = (factor: number) => Math.max(1, Math.floor((t.temp.maxBytesPerDay / 1440) * factor));
  add({
    alert: 'PostgresTempFiles',
    rule: 'temp-files',
    severity: 'warning',
    expr: `${perDayExpr} >= ${lit(t.temp.maxBytesPerDay)}`,
    for: '30m',
    summary: `Temporary files at ${lit(t.temp.maxBytesPerDay)} bytes per day or more`,
    description: 'Sorts and hashes spill to disk when they do not fit in work_mem; find the spilling statements (pg_stat_statements temp_blks_written) before raising work_mem (db-optimize profile: temp-files).',
    fires: counterExample({ pg_stat_database_temp_bytes: tempPerMinute(2) }, db, 150, '120m', byDb),
    quiet: counterExample({ pg_stat_database_temp_bytes: tempPerMinute(0.5) }, db, 150, '120m', byDb),
  });

  // slow-statements: mean time over the last hour, with enough calls in it
  const stmt = { queryid: '-4567', ...INSTANCE };
  const calls = Math.ceil(t.slow.minCalls / 50) + 1;
  const slowAt = (meanMs: number) => counterExample({ pg_dbopt_statements_calls: calls, pg_dbopt_statements_exec_seconds: Number(((calls * meanMs) / 1000).toPrecision(12)) }, stmt, 120, '90m');
  for (const [severity, ms] of [['warning', t.slow.minMeanMs], ['critical', t.slow.criticalMeanMs]] as const) {
    add({
      alert: severity === 'warning' ? 'PostgresSlowStatement' : 'PostgresSlowStatementCritical',
      rule: 'slow-statements',
      severity,
      expr:
        `1000 * increase(pg_dbopt_statements_exec_seconds[1h]) / clamp_min(increase(pg_dbopt_statements_calls[1h]), 1) >= ${lit(ms)} ` +
        `and increase(pg_dbopt_statements_calls[1h]) >= ${lit(t.slow.minCalls)}`,
      for: '15m',
      summary: `A statement averaged ${lit(ms)} ms or more over the last hour (${lit(t.slow.minCalls)}+ calls)`,
      description: 'Look it up by queryid in pg_stat_statements and EXPLAIN it (db-optimize query; profile: slow-statements).',
      fires: slowAt(ms * 1.05),
      ...(severity === 'warning' ? { quiet: slowAt(ms * 0.95) } : {}),
    });
  }

  add({
    alert: 'PostgresDown',
    rule: 'availability',
    severity: 'critical',
    expr: 'pg_up == 0',
    for: '2m',
    summary: 'postgres_exporter cannot reach PostgreSQL',
    description: 'Every other alert is blind while this fires: check the server and the exporter\'s DATA_SOURCE_NAME.',
    fires: gaugeExample({ pg_up: 0 }),
    quiet: gaugeExample({ pg_up: 1 }),
  });
  return rules;
}

/** Metric names an expression reads (identifiers followed by `{`, `[` or used bare as a selector). */
export function metricsIn(expr: string): string[] {
  const names = new Set<string>();
  for (const m of expr.matchAll(/\b(pg_[a-z0-9_]+)\b/g)) names.add(m[1] ?? '');
  return [...names].sort();
}
