import type { ReportSection, Snapshot, Workload } from '../../model/index.ts';
import { formatMs, percent } from '../../format/format.ts';

/** One of the seed's "Performance Baseline Metrics", measured. */
export interface BaselineMetric {
  readonly metric: string;
  readonly target: string;
  /** null when it cannot be measured here (and `note` says why) */
  readonly value: number | null;
  readonly display: string;
  readonly ok: boolean | null;
  readonly note?: string;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26), enough for a labelled estimate. */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/**
 * Per-call latency quantile of the whole workload: every statement a normal(mean, stddev)
 * weighted by its calls, solved by bisection. An estimate, like the per-statement ones.
 */
export function workloadQuantile(workload: Workload, q: number): number | null {
  const parts = workload.statements.filter((s) => s.calls > 0 && s.stddevTimeMs !== null);
  const calls = parts.reduce((sum, s) => sum + s.calls, 0);
  if (calls === 0) return null;
  const cdf = (x: number): number =>
    parts.reduce((sum, s) => {
      const sd = s.stddevTimeMs ?? 0;
      const p = sd > 0 ? normalCdf((x - s.meanTimeMs) / sd) : x >= s.meanTimeMs ? 1 : 0;
      return sum + s.calls * p;
    }, 0) / calls;
  let lo = 0;
  let hi = Math.max(...parts.map((s) => s.meanTimeMs + 6 * (s.stddevTimeMs ?? 0)), 1);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The seed's target metrics for a healthy database, measured on this snapshot and workload. */
export function baselineMetrics(snapshot: Snapshot, workload: Workload | null): BaselineMetric[] {
  const out: BaselineMetric[] = [];
  const noWorkload = 'no workload (pg_stat_statements or --workload)';
  for (const [q, target] of [
    [0.95, 100],
    [0.99, 500],
  ] as const) {
    const v = workload === null ? null : workloadQuantile(workload, q);
    out.push({
      metric: `query_time_p${Math.round(q * 100)}`,
      target: `< ${target} ms`,
      value: v === null ? null : Math.round(v * 100) / 100,
      display: v === null ? 'n/a' : `~${formatMs(v)} (estimate)`,
      ok: v === null ? null : v < target,
      ...(v === null ? { note: noWorkload } : { note: 'all statements, weighted by calls, from mean ± stddev' }),
    });
  }
  const c = snapshot.connections;
  const usable = c === null ? 0 : Math.max(1, c.maxConnections - c.superuserReserved - c.reserved);
  const use = c === null ? null : c.total / usable;
  out.push({
    metric: 'connection_pool_usage',
    target: '< 70 %',
    value: use === null ? null : Math.round(use * 10_000) / 10_000,
    display: use === null || c === null ? 'n/a' : `${percent(use)} (${c.total} of ${usable})`,
    ok: use === null ? null : use < 0.7,
    note: 'server connections of max_connections minus reserved slots',
  });
  let hit = 0;
  let read = 0;
  for (const i of snapshot.indexes) {
    hit += i.blksHit;
    read += i.blksRead;
  }
  const idx = hit + read > 0 ? hit / (hit + read) : null;
  out.push({
    metric: 'index_hit_ratio',
    target: '> 99 %',
    value: idx === null ? null : Math.round(idx * 10_000) / 10_000,
    display: idx === null ? 'n/a' : percent(idx, 2),
    ok: idx === null ? null : idx > 0.99,
  });
  const db = snapshot.database;
  const cache = db === null || db.blksHit + db.blksRead === 0 ? null : db.blksHit / (db.blksHit + db.blksRead);
  out.push({
    metric: 'cache_hit_ratio',
    target: '> 95 %',
    value: cache === null ? null : Math.round(cache * 10_000) / 10_000,
    display: cache === null ? 'n/a' : percent(cache, 2),
    ok: cache === null ? null : cache > 0.95,
  });
  out.push({ metric: 'n1_queries_per_request', target: '0', value: null, display: 'n/a', ok: null, note: 'needs application traces: db-optimize n1' });
  return out;
}

/** The metrics as a pre-rendered report section (fits 80 columns). */
export function baselineSection(metrics: readonly BaselineMetric[]): ReportSection {
  const mark = (m: BaselineMetric): string => (m.ok === null ? '  ' : m.ok ? 'ok' : '!!');
  return {
    id: 'baseline-metrics',
    title: 'Baseline metrics (seed targets)',
    lines: metrics.map((m) => `${mark(m)} ${m.metric.padEnd(24)} ${m.target.padEnd(8)} ${m.display}`),
  };
}
