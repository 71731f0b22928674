import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Severity, Snapshot, WorkloadStatement } from '../../../model/index.ts';
import { estimatePercentiles } from '../../../workload/percentiles.ts';
import { formatCount, formatMs, percent, round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';
import { statementNextSteps } from '../statement-advice.ts';
import { shortQuery } from '../statement-relations.ts';

export const topStatements = defineAnalyzer({
  id: 'top-statements',
  phase: 'profile',
  title: 'Top statements by total time',
  description:
    'Statements ranked by their total execution time (calls × mean), with their share of all database time, why they rank there rather than by calls or mean, estimated p95/p99 against the targets and the next step for each.',
  depth: 1,
  requires: { workload: true, snapshot: false },
  options: {
    limit: { default: 10, description: 'how many statements to report' },
    p95TargetMs: { default: 100, description: 'p95 latency target in ms (seed baseline)' },
    p99TargetMs: { default: 500, description: 'p99 latency target in ms (seed baseline)' },
    minShare: { default: 0.01, description: 'ignore statements below this share of total time' },
    warnShare: { default: 0.05, description: 'a statement above this share of DB time is a warning when its tail is over target or its mean is slow' },
    slowMeanMs: { default: 20, description: 'mean time from which a statement counts as slow (PgHero: 20 ms)' },
    warnMinCalls: { default: 10, description: 'statements with fewer calls stay info (one-off loads and maintenance are not a latency problem)' },
  },
  run({ workload, snapshot, options }) {
    const statements = (workload?.statements ?? []).filter((s) => s.totalTimeMs > 0);
    const total = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);
    if (total <= 0) return [];
    const windowSeconds = workload?.windowSeconds ?? null;
    const byCalls = [...statements].sort((a, b) => b.calls - a.calls);
    const byMean = [...statements].sort((a, b) => b.meanTimeMs - a.meanTimeMs);
    const ranks = { calls: new Map(byCalls.map((s, i) => [s, i + 1])), mean: new Map(byMean.map((s, i) => [s, i + 1])) };
    const ctx: RankContext = { total, windowSeconds, options, ranks, mostCalled: byCalls[0], slowest: byMean[0], snapshot: (snapshot as Snapshot | null) ?? null };
    return [...statements]
      .sort((a, b) => b.totalTimeMs - a.totalTimeMs)
      .slice(0, options.limit)
      .filter((s) => s.totalTimeMs / total >= options.minShare)
      .map((s, i, list): Finding => toFinding(s, i + 1, list[i + 1], ctx));
  },
});

interface RankContext {
  readonly total: number;
  readonly windowSeconds: number | null;
  readonly options: { readonly p95TargetMs: number; readonly p99TargetMs: number; readonly warnShare: number; readonly slowMeanMs: number; readonly warnMinCalls: number };
  readonly ranks: { readonly calls: Map<WorkloadStatement, number>; readonly mean: Map<WorkloadStatement, number> };
  readonly mostCalled: WorkloadStatement | undefined;
  readonly slowest: WorkloadStatement | undefined;
  readonly snapshot: Snapshot | null;
}

const product = (s: WorkloadStatement): string => `${formatCount(s.calls)} calls × ${formatMs(s.meanTimeMs)} = ${formatMs(s.totalTimeMs)}`;

/** Why this statement ranks here by total time, and how calls or mean alone would mislead. */
function rankingReason(s: WorkloadStatement, rank: number, next: WorkloadStatement | undefined, ctx: RankContext): string {
  const callsRank = ctx.ranks.calls.get(s) ?? 0;
  const meanRank = ctx.ranks.mean.get(s) ?? 0;
  const parts = [`Ranked #${rank} by total time: ${product(s)}, ${percent(s.totalTimeMs / ctx.total)} of all database time.`];
  parts.push(`By calls it is #${callsRank}, by mean time #${meanRank}.`);
  const mc = ctx.mostCalled;
  if (mc !== undefined && mc !== s && callsRank > 1 && mc.totalTimeMs < s.totalTimeMs) {
    parts.push(`Ranking by calls would put "${shortQuery(mc.text, 50)}" first, yet its ${product(mc)} costs ${(s.totalTimeMs / mc.totalTimeMs).toFixed(1)}× less.`);
  }
  const sl = ctx.slowest;
  if (sl !== undefined && sl !== s && meanRank > 1 && sl.totalTimeMs < s.totalTimeMs) {
    parts.push(`Ranking by mean would put "${shortQuery(sl.text, 50)}" first, yet it runs only ${formatCount(sl.calls)} times (${formatMs(sl.totalTimeMs)} in total).`);
  }
  if (next !== undefined && next.calls > s.calls && rank === 1) {
    parts.push(`It outranks "${shortQuery(next.text, 50)}" despite fewer calls because each call costs ${(s.meanTimeMs / Math.max(next.meanTimeMs, 1e-9)).toFixed(1)}× more.`);
  }
  return parts.join(' ');
}

function toFinding(s: WorkloadStatement, rank: number, next: WorkloadStatement | undefined, ctx: RankContext): Finding {
  const { total, windowSeconds } = ctx;
  const p95Target = ctx.options.p95TargetMs;
  const p99Target = ctx.options.p99TargetMs;
  const share = s.totalTimeMs / total;
  const pct = estimatePercentiles(s.meanTimeMs, s.stddevTimeMs, s.maxTimeMs);
  const overP95 = pct !== null && pct.p95 > p95Target;
  const overP99 = pct !== null && pct.p99 > p99Target;
  const slowMean = s.meanTimeMs >= ctx.options.slowMeanMs;
  const severity: Severity = (overP99 || overP95 || slowMean) && share >= ctx.options.warnShare && s.calls >= ctx.options.warnMinCalls ? 'warning' : 'info';
  const msPerDay = windowSeconds === null || windowSeconds === undefined ? s.totalTimeMs : perDay(s.totalTimeMs, windowSeconds);
  const hitRatio = s.sharedBlksHit + s.sharedBlksRead > 0 ? s.sharedBlksHit / (s.sharedBlksHit + s.sharedBlksRead) : null;
  return {
    rule: 'top-statements',
    history: { windowSeconds: windowSeconds === null ? null : Math.round(windowSeconds), note: 'time per day extrapolated from the pg_stat_statements window (at least an hour)' },
    severity,
    title: `#${rank} by total time (${percent(share)} of DB time): ${shortQuery(s.text)}`,
    target: {
      kind: 'statement',
      ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }),
      ...(s.queryId === undefined ? {} : { queryId: s.queryId }),
    },
    evidence: {
      query: s.text,
      rank,
      rankByCalls: ctx.ranks.calls.get(s) ?? null,
      rankByMeanTime: ctx.ranks.mean.get(s) ?? null,
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
      summary: `${product(s)} total (${percent(share)} of DB time)${
        pct === null ? '' : `; estimated p95 ${formatMs(pct.p95)}, p99 ${formatMs(pct.p99)}`
      }`,
    },
    description:
      `${rankingReason(s, rank, next, ctx)} ` +
      (overP99 || overP95
        ? `Its estimated tail latency is above target (p95 < ${p95Target} ms, p99 < ${p99Target} ms); the estimate assumes a normal distribution of mean ± stddev, real tails are usually worse.`
        : pct === null
          ? 'No standard deviation is known, so p95/p99 cannot be estimated.'
          : 'Its estimated tail latency is within the targets (an estimate from mean ± stddev).'),
    nextSteps: statementNextSteps(ctx.snapshot, s),
  };
}
