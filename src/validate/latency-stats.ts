/** Latency of one statement (or of the whole mix) over one replay. */
export interface LatencyStats {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly callsPerSec: number;
  readonly calls: number;
  readonly errors: number;
}

/** The seed's targets (004: "p95 < 100 ms, p99 < 500 ms"). */
export const SCORECARD_TARGETS = { p95Ms: 100, p99Ms: 500 } as const;

export interface ScorecardSide {
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly p95TargetMs: number;
  readonly p99TargetMs: number;
  readonly p95Pass: boolean | null;
  readonly p99Pass: boolean | null;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

/** Nearest-rank percentile of sorted values (exact, from every call; no estimate). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}

export function latencyStats(latenciesMs: readonly number[], elapsedMs: number, errors = 0): LatencyStats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    callsPerSec: elapsedMs > 0 ? Math.round((sorted.length / elapsedMs) * 1000 * 100) / 100 : 0,
    calls: sorted.length,
    errors,
  };
}

export function scorecard(stats: LatencyStats | null): ScorecardSide {
  const has = stats !== null && stats.calls > 0;
  return {
    p95Ms: has ? stats.p95Ms : null,
    p99Ms: has ? stats.p99Ms : null,
    p95TargetMs: SCORECARD_TARGETS.p95Ms,
    p99TargetMs: SCORECARD_TARGETS.p99Ms,
    p95Pass: has ? stats.p95Ms < SCORECARD_TARGETS.p95Ms : null,
    p99Pass: has ? stats.p99Ms < SCORECARD_TARGETS.p99Ms : null,
  };
}
