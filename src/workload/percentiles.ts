/**
 * p95/p99 estimated from mean and standard deviation under a normal approximation,
 * clamped to the observed maximum when known. They are estimates, labelled as such in reports:
 * real latency distributions are skewed, so the true tail is usually worse.
 */
export function estimatePercentiles(meanMs: number, stddevMs: number | null, maxMs?: number): { p95: number; p99: number } | null {
  if (stddevMs === null || !Number.isFinite(meanMs)) return null;
  const clamp = (v: number): number => (maxMs !== undefined && maxMs > 0 ? Math.min(v, maxMs) : v);
  return { p95: clamp(meanMs + 1.645 * stddevMs), p99: clamp(meanMs + 2.326 * stddevMs) };
}
