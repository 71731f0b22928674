import { baselineMetrics } from '../analyzers/profile/baseline-metrics.ts';
import type { Finding, ScorecardEntry, ScorecardMetric, SkippedAnalyzer, Snapshot, Workload } from '../model/index.ts';

interface Spec {
  readonly metric: ScorecardMetric;
  readonly baseline: string;
  readonly label: string;
  readonly comparison: ScorecardEntry['comparison'];
  readonly threshold: number;
  readonly unit: ScorecardEntry['unit'];
}

/** The seed's targets for a healthy database (000 seed, "Performance Baseline Metrics"). */
const SPECS: readonly Spec[] = [
  { metric: 'p95-latency', baseline: 'query_time_p95', label: 'p95 statement latency', comparison: '<', threshold: 100, unit: 'ms' },
  { metric: 'p99-latency', baseline: 'query_time_p99', label: 'p99 statement latency', comparison: '<', threshold: 500, unit: 'ms' },
  { metric: 'pool-use', baseline: 'connection_pool_usage', label: 'connection pool use', comparison: '<', threshold: 70, unit: '%' },
  { metric: 'index-hit', baseline: 'index_hit_ratio', label: 'index cache hit ratio', comparison: '>', threshold: 99, unit: '%' },
  { metric: 'cache-hit', baseline: 'cache_hit_ratio', label: 'buffer cache hit ratio', comparison: '>', threshold: 95, unit: '%' },
  { metric: 'n-plus-one', baseline: 'n1_queries_per_request', label: 'N+1 query patterns', comparison: '=', threshold: 0, unit: 'count' },
];

const UNIT_TEXT: Readonly<Record<ScorecardEntry['unit'], string>> = { ms: ' ms', '%': ' %', count: '' };

function passes(spec: Spec, value: number): boolean {
  return spec.comparison === '<' ? value < spec.threshold : spec.comparison === '>' ? value > spec.threshold : value === spec.threshold;
}

/**
 * The seed's scorecard from the snapshot, the workload and the findings: each metric measured,
 * or null with why. N+1 counts the n1-suspects findings (call-ratio suspects from the workload).
 */
export function buildScorecard(snapshot: Snapshot, workload: Workload | null, findings: readonly Finding[], skipped: readonly SkippedAnalyzer[]): ScorecardEntry[] {
  const measured = baselineMetrics(snapshot, workload);
  return SPECS.map((spec) => {
    const base = { metric: spec.metric, label: spec.label, target: `${spec.comparison} ${spec.threshold}${UNIT_TEXT[spec.unit]}`, threshold: spec.threshold, comparison: spec.comparison, unit: spec.unit };
    if (spec.metric === 'n-plus-one') {
      const skip = skipped.find((s) => s.analyzer === 'n1-suspects');
      if (skip !== undefined || workload === null) {
        return { ...base, value: null, pass: null, why: skip?.reason ?? 'no workload (pg_stat_statements or --workload): db-optimize n1 reads application traces' };
      }
      const n = findings.filter((f) => f.rule === 'n1-suspects').length;
      return { ...base, value: n, pass: passes(spec, n), why: 'suspects from pg_stat_statements call ratios; db-optimize n1 confirms them from application traces' };
    }
    const m = measured.find((x) => x.metric === spec.baseline);
    if (m === undefined || m.value === null) return { ...base, value: null, pass: null, why: m?.note ?? 'not measurable here' };
    const value = spec.unit === '%' ? Math.round(m.value * 10_000) / 100 : Math.round(m.value * 100) / 100;
    return { ...base, value, pass: passes(spec, value), ...(m.note === undefined ? {} : { why: m.note }) };
  });
}
