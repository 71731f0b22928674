import type { QueryUnit } from '../query-event.ts';
import { StatementCache } from '../statement-cache.ts';
import type { StatementShape } from '../statement-shape.ts';
import { analyzeUnit, DEFAULT_THRESHOLDS } from './analyze-unit.ts';
import type { DetectionThresholds } from './analyze-unit.ts';
import type { IgnoredReason, N1Rule, PatternMember } from './unit-pattern.ts';

/** One pattern aggregated over every unit it appeared in (grouped by call site + fingerprints). */
export interface AggregatedPattern {
  /** n1-query, upgraded to n1-fan-out once one unit ran the loop in parallel */
  rule: N1Rule;
  readonly callSite: string | null;
  readonly members: readonly PatternMember[];
  /** units (requests, transactions) it appeared in */
  units: number;
  queries: number;
  /** summed time of the pattern's queries, over units that had durations */
  timeMs: number;
  timedUnits: number;
  /** summed estimated application cost (time + one round trip per query) */
  costMs: number;
  maxPerUnit: number;
  maxConcurrency: number;
  parent: StatementShape | null;
  parentSql: string | null;
  readonly labels: Set<string>;
  /** per member: queries summed over units (for the expected-after computation) */
  readonly memberQueries: number[];
}

export interface DetectionSummary {
  readonly units: number;
  readonly events: number;
  readonly unparsable: number;
  /** first and last event timestamps seen, to turn per-unit costs into per-day estimates */
  readonly firstMs: number | null;
  readonly lastMs: number | null;
  readonly patterns: readonly AggregatedPattern[];
  readonly ignored: readonly { readonly reason: IgnoredReason; readonly sql: string; readonly units: number; readonly queries: number }[];
}

/**
 * The one detector every source feeds. Units are analyzed as they arrive and only the
 * aggregates are kept, so a log of any size is processed in constant memory.
 */
export class N1Detector {
  private readonly cache = new StatementCache();
  private readonly patterns = new Map<string, AggregatedPattern>();
  private readonly ignored = new Map<string, { reason: IgnoredReason; sql: string; units: number; queries: number }>();
  private units = 0;
  private events = 0;
  private firstMs: number | null = null;
  private lastMs: number | null = null;
  readonly thresholds: DetectionThresholds;

  constructor(thresholds: Partial<DetectionThresholds> = {}) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  }

  addUnit(unit: QueryUnit): void {
    this.units++;
    this.events += unit.events.length;
    for (const e of unit.events) {
      if (e.startMs === null) continue;
      if (this.firstMs === null || e.startMs < this.firstMs) this.firstMs = e.startMs;
      if (this.lastMs === null || e.startMs > this.lastMs) this.lastMs = e.startMs;
    }
    if (unit.events.length < this.thresholds.minRepeats) return;
    const { patterns, ignored } = analyzeUnit(unit, this.cache, this.thresholds);
    for (const p of patterns) {
      // a loop that ran in parallel in some requests only is still one finding (the pool decides)
      const keyRule = p.rule === 'n1-fan-out' ? 'n1-query' : p.rule;
      const key = `${keyRule}|${p.callSite ?? ''}|${p.members.map((m) => m.shape.fingerprint).join(',')}`;
      let agg = this.patterns.get(key);
      if (agg === undefined) {
        agg = {
          rule: p.rule,
          callSite: p.callSite,
          members: p.members,
          units: 0,
          queries: 0,
          timeMs: 0,
          timedUnits: 0,
          costMs: 0,
          maxPerUnit: 0,
          maxConcurrency: 1,
          parent: p.parent,
          parentSql: p.parentSql,
          labels: new Set(),
          memberQueries: p.members.map(() => 0),
        };
        this.patterns.set(key, agg);
      }
      agg.units++;
      agg.queries += p.count;
      agg.costMs += p.costMs;
      if (p.rule === 'n1-fan-out') agg.rule = 'n1-fan-out';
      if (p.timeMs !== null) {
        agg.timeMs += p.timeMs;
        agg.timedUnits++;
      }
      agg.maxPerUnit = Math.max(agg.maxPerUnit, p.count);
      agg.maxConcurrency = Math.max(agg.maxConcurrency, p.maxConcurrency);
      agg.parent ??= p.parent;
      agg.parentSql ??= p.parentSql;
      p.members.forEach((m, i) => (agg.memberQueries[i] = (agg.memberQueries[i] ?? 0) + m.count));
      if (unit.label !== null && agg.labels.size < 5) agg.labels.add(unit.label);
    }
    for (const ig of ignored) {
      const key = `${ig.reason}|${ig.fingerprint}`;
      const cur = this.ignored.get(key) ?? { reason: ig.reason, sql: ig.sql, units: 0, queries: 0 };
      cur.units++;
      cur.queries += ig.count;
      this.ignored.set(key, cur);
    }
  }

  summary(): DetectionSummary {
    return {
      units: this.units,
      events: this.events,
      unparsable: this.cache.unparsable,
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      patterns: [...this.patterns.values()],
      ignored: [...this.ignored.values()],
    };
  }
}
