/** Relative accuracy of the quantiles once a series outgrows its exact buffer (DDSketch-style log buckets). */
export const SKETCH_RELATIVE_ERROR = 0.01;
const EXACT_LIMIT = 128;
const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);

/**
 * Quantiles of a stream of durations in flat memory: exact (nearest rank) up to 128 values,
 * then log-spaced buckets where every value v lands in a bucket whose representative is within
 * ±1 % of v, so p50/p95/p99 are within 1 % of the true nearest-rank value. Buckets needed
 * grow with log(max/min), not with the count: ~700 cover 10 µs to 10 s.
 */
export class DurationSketch {
  private exact: number[] | null = [];
  private readonly buckets = new Map<number, number>();
  private zeros = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (this.exact !== null) {
      this.exact.push(v);
      if (this.exact.length <= EXACT_LIMIT) return;
      for (const x of this.exact) this.bucket(x);
      this.exact = null;
      return;
    }
    this.bucket(v);
  }

  private bucket(v: number): void {
    if (v <= 0) {
      this.zeros++;
      return;
    }
    const k = Math.ceil(Math.log(v) / LOG_GAMMA);
    this.buckets.set(k, (this.buckets.get(k) ?? 0) + 1);
  }

  /** Nearest-rank quantile (q in 0..1); null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    if (this.exact !== null) return [...this.exact].sort((a, b) => a - b)[rank - 1] ?? null;
    if (rank <= this.zeros) return 0;
    let seen = this.zeros;
    for (const k of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(k) ?? 0;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, (2 * GAMMA ** k) / (GAMMA + 1)));
    }
    return this.max;
  }

  /** exact while the series is short, else a sketch */
  get isExact(): boolean {
    return this.exact !== null;
  }
}
