import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Severity, WorkloadStatement } from '../../../model/index.ts';
import { estimatePercentiles } from '../../../workload/percentiles.ts';
import { formatCount, formatMs, percent, round } from '../../format.ts';
import { perDay } from '../../snapshot-lookup.ts';

export const topStatements = defineAnalyzer({
  id: 'top-statements',
  phase: 'profile',
  title: 'Top statements by total time',
  description: 'Statements ranked by their total execution time, with their share of all database time and estimated p95/p99 against the targets.',
  depth: 1,
  requires: { workload: true, snapshot: false },
  options: {
    limit: { default: 10, description: 'how many statements to report' },
    p95TargetMs: { default: 100, description: 'p95 latency target in ms (seed baseline)' },
    p99TargetMs: { default: 500, description: 'p99 latency target in ms (seed baseline)' },
    minShare: { default: 0.01, description: 'ignore statements below this share of total time' },
  },
  run({ workload, options }) {
    const statements = (workload?.statements ?? []).filter((s) => s.totalTimeMs > 0);
    const total = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);
    if (total <= 0) return [];
    const windowSeconds = workload?.windowSeconds ?? null;
    return [...statements]
      .sort((a, b) => b.totalTimeMs - a.totalTimeMs)
      .slice(0, options.limit)
      .filter((s) => s.totalTimeMs / total >= options.minShare)
      .map((s, rank): Finding => toFinding(s, rank + 1, total, windowSeconds, options.p95TargetMs, options.p99TargetMs));
  },
});

function toFinding(s: WorkloadStatement, rank: number, total: number, windowSeconds: number | null, p95Target: number, p99Target: number): Finding {
  const share = s.totalTimeMs / total;
  const pct = estimatePercentiles(s.meanTimeMs, s.stddevTimeMs, s.maxTimeMs);
  const overP95 = pct !== null && pct.p95 > p95Target;
  const overP99 = pct !== null && pct.p99 > p99Target;
  const severity: Severity = (overP99 || overP95) && share >= 0.05 ? 'warning' : 'info';
  const msPerDay = windowSeconds === null ? s.totalTimeMs : perDay(s.totalTimeMs, windowSeconds);
  const hitRatio = s.sharedBlksHit + s.sharedBlksRead > 0 ? s.sharedBlksHit / (s.sharedBlksHit + s.sharedBlksRead) : null;
  const short = s.text.replace(/\s+/g, ' ').slice(0, 70);
  return {
    rule: 'top-statements',
    severity,
    title: `#${rank} by total time (${percent(share)} of DB time): ${short}`,
    target: {
      kind: 'statement',
      ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }),
      ...(s.queryId === undefined ? {} : { queryId: s.queryId }),
    },
    evidence: {
      query: s.text,
      rank,
      calls: s.calls,
      totalTimeMs: round(s.totalTimeMs),
      meanTimeMs: round(s.meanTimeMs, 3),
      stddevTimeMs: s.stddevTimeMs === null ? null : round(s.stddevTimeMs, 3),
      shareOfTotalTime: round(share, 4),
      rows: s.rows,
      rowsPerCall: s.calls > 0 ? round(s.rows / s.calls, 2) : 0,
      sharedBlksHit: s.sharedBlksHit,
      sharedBlksRead: s.sharedBlksRead,
      cacheHitRatio: hitRatio === null ? null : round(hitRatio, 4),
      tempBlksWritten: s.tempBlksWritten,
      planTimeMs: s.planTimeMs === null ? null : round(s.planTimeMs),
      p95EstimateMs: pct === null ? null : round(pct.p95, 2),
      p99EstimateMs: pct === null ? null : round(pct.p99, 2),
      percentilesAreEstimates: true,
      p95TargetMs: p95Target,
      p99TargetMs: p99Target,
    },
    impact: {
      score: msPerDay * (severity === 'warning' ? 1 : 0.5),
      msPerDay: round(msPerDay),
      workloadShare: round(share, 4),
      summary: `${formatMs(s.totalTimeMs)} total over ${formatCount(s.calls)} calls (${formatMs(s.meanTimeMs)} mean)${
        pct === null ? '' : `; estimated p95 ${formatMs(pct.p95)}, p99 ${formatMs(pct.p99)}`
      }`,
    },
    description:
      `Ranked by total time = calls × mean, the time this statement costs the database overall. ` +
      (overP99 || overP95
        ? `Its estimated tail latency is above target (p95 < ${p95Target} ms, p99 < ${p99Target} ms); the estimate assumes a normal distribution of mean ± stddev.`
        : 'Its estimated tail latency is within the targets.'),
    nextSteps: [
      `EXPLAIN (ANALYZE, BUFFERS) this statement with representative values: db-optimize query --db … "<statement>"`,
      ...(s.calls > 1000 && s.meanTimeMs < 5 ? ['high call count with low mean: check for N+1 patterns or caching (db-optimize n1)'] : []),
    ],
  };
}
