/** Stable ids of the seed's target metrics. */
export type ScorecardMetric = 'p95-latency' | 'p99-latency' | 'pool-use' | 'index-hit' | 'cache-hit' | 'n-plus-one';

/**
 * One of the seed's target metrics, measured. JSON contract (issue 18):
 * `scorecard: [{ metric, target, value, pass }]`; value and pass are null with `why` when the
 * metric cannot be measured here.
 */
export interface ScorecardEntry {
  readonly metric: ScorecardMetric;
  /** human name, e.g. "p95 statement latency" */
  readonly label: string;
  /** the target as text, e.g. "< 100 ms", "> 99 %", "= 0" */
  readonly target: string;
  /** the threshold and how the value must compare with it */
  readonly threshold: number;
  readonly comparison: '<' | '>' | '=';
  readonly unit: 'ms' | '%' | 'count';
  /** measured value in `unit`; null when not measurable */
  readonly value: number | null;
  /** true when the target is met, false when not, null when not measurable */
  readonly pass: boolean | null;
  /** why not measurable, or where the value comes from */
  readonly why?: string;
}
