import { describe, expect, it } from 'vitest';
import { DurationSketch, SKETCH_RELATIVE_ERROR } from './duration-sketch.ts';

const nearestRank = (values: readonly number[], q: number): number => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * values.length)) - 1] ?? NaN;

describe('DurationSketch', () => {
  it('is exact (nearest rank) for short series', () => {
    const values = [5, 1, 3, 2, 4, 100, 0.5];
    const s = new DurationSketch();
    for (const v of values) s.add(v);
    expect(s.isExact).toBe(true);
    for (const q of [0.5, 0.95, 0.99]) expect(s.quantile(q)).toBe(nearestRank(values, q));
  });

  it('stays within the documented relative error on a long, skewed series', () => {
    // a log-normal-like latency series from a fixed linear congruential generator
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) + 1) / 2 ** 31;
    const values = Array.from({ length: 50_000 }, () => Math.exp(-3 + 2.5 * Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd())));
    values.push(0, 0);
    const s = new DurationSketch();
    for (const v of values) s.add(v);
    expect(s.isExact).toBe(false);
    expect(s.count).toBe(values.length);
    for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const truth = nearestRank(values, q);
      expect(Math.abs((s.quantile(q) ?? 0) - truth) / truth).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-9);
    }
    expect(s.quantile(1)).toBe(Math.max(...values));
  });
});
