import type { QueryEvent, QueryUnit } from '../query-event.ts';
import type { AnalyzedEvent, StatementCache } from '../statement-cache.ts';
import type { StatementShape } from '../statement-shape.ts';
import type { IgnoredReason, N1Rule, PatternMember, UnitPattern } from './unit-pattern.ts';

export interface DetectionThresholds {
  /** repetitions of one statement shape inside a unit (default 5): flagged whatever their server time */
  readonly minRepeats: number;
  /** estimated application cost of those repetitions in ms, round trips included (default 0: any) */
  readonly minTimeMs: number;
  /**
   * what one round trip costs the application beyond the server's execution time: network,
   * driver, ORM hydration. Default 1 ms, a same-region network hop plus an ORM's per-query
   * work; a log only shows server time (0.02–0.2 ms for a key lookup), which hides the cost.
   */
  readonly roundTripMs: number;
}

export const DEFAULT_ROUND_TRIP_MS = 1;
export const DEFAULT_THRESHOLDS: DetectionThresholds = { minRepeats: 5, minTimeMs: 0, roundTripMs: DEFAULT_ROUND_TRIP_MS };

/** What a loop costs the application: every repetition pays its own time plus one round trip. */
export function applicationCostMs(count: number, timeMs: number | null, roundTripMs: number): number {
  return (timeMs ?? 0) + count * roundTripMs;
}

export interface UnitAnalysis {
  readonly patterns: readonly UnitPattern[];
  readonly ignored: readonly { readonly reason: IgnoredReason; readonly fingerprint: string; readonly sql: string; readonly count: number }[];
}

interface Occurrences {
  readonly shape: StatementShape;
  readonly indexes: number[];
}

function mostCommon(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestN = 0;
  for (const [v, n] of counts) if (n > bestN) [best, bestN] = [v, n];
  return best;
}

/** Largest number of occurrences running at the same time (needs start and duration). */
function maxConcurrency(events: readonly QueryEvent[]): number {
  const points: [number, number][] = [];
  for (const e of events) {
    if (e.startMs === null || e.durationMs === null) return 1;
    points.push([e.startMs, 1], [e.startMs + Math.max(e.durationMs, 0.001), -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of points) {
    cur += d;
    max = Math.max(max, cur);
  }
  return Math.max(max, 1);
}

function totalTime(events: readonly QueryEvent[]): number | null {
  let sum = 0;
  let known = false;
  for (const e of events) {
    if (e.durationMs !== null) {
      sum += e.durationMs;
      known = true;
    }
  }
  return known ? sum : null;
}

/** Elements of an array parameter: '{1,2,3}' in a log, '3#9a0c…' in a capture (length-prefixed hash). */
function arrayLength(value: string | undefined): number {
  if (value === undefined) return 0;
  const hashed = /^(\d+)#[0-9a-f]+$/.exec(value);
  if (hashed !== null) return Number(hashed[1]);
  if (!value.startsWith('{')) return 0;
  return value === '{}' ? 0 : value.split(',').length;
}

/** Which $n take different values across the occurrences (unknown values count as varying only if some are known). */
function varyingParams(analyzed: readonly AnalyzedEvent[]): { varying: Set<number>; identical: boolean; known: boolean } {
  const varying = new Set<number>();
  const width = Math.max(0, ...analyzed.map((a) => a.values.length));
  let known = false;
  for (let k = 0; k < width; k++) {
    const seen = new Set<string | undefined>();
    for (const a of analyzed) seen.add(a.values[k]);
    if ([...seen].some((v) => v !== undefined)) known = true;
    if (seen.size > 1) varying.add(k + 1);
  }
  const allKnown = analyzed.every((a) => a.values.every((v) => v !== undefined));
  return { varying, identical: known && allKnown && varying.size === 0, known };
}

/**
 * Finds the N+1 family of patterns inside one unit of work (a request, transaction or
 * burst): a statement shape repeated with differing parameters, in parallel, in groups,
 * with identical parameters, or as row-by-row inserts.
 */
export function analyzeUnit(unit: QueryUnit, cache: StatementCache, thresholds: DetectionThresholds): UnitAnalysis {
  const analyzed = unit.events.map((e) => cache.analyze(e.sql, e.params));
  const byFp = new Map<string, Occurrences>();
  analyzed.forEach((a, i) => {
    if (a.shape === null || a.shape.command === 'utility') return;
    let o = byFp.get(a.shape.fingerprint);
    if (o === undefined) byFp.set(a.shape.fingerprint, (o = { shape: a.shape, indexes: [] }));
    // fingerprints ignore optional constants (LIMIT 10 vs LIMIT 10 OFFSET 20): keep the richest form
    else if (a.shape.bindParamCount + a.shape.pagingParams.length > o.shape.bindParamCount + o.shape.pagingParams.length) {
      byFp.set(a.shape.fingerprint, (o = { shape: a.shape, indexes: o.indexes }));
    }
    o.indexes.push(i);
  });
  const ignored: { reason: IgnoredReason; fingerprint: string; sql: string; count: number }[] = [];
  interface Candidate {
    rule: N1Rule;
    member: PatternMember;
    events: QueryEvent[];
    first: number;
    last: number;
  }
  const candidates: Candidate[] = [];
  for (const [fp, o] of byFp) {
    if (o.indexes.length < thresholds.minRepeats) continue;
    const events = o.indexes.map((i) => unit.events[i] as QueryEvent);
    const occ = o.indexes.map((i) => analyzed[i] as AnalyzedEvent);
    const sql = events[0]?.sql ?? '';
    const shape = o.shape;
    const { varying, identical } = varyingParams(occ);
    const eqVarying = shape.equality.find((e) => varying.has(e.param)) ?? null;
    const distinctValues = new Set(occ.map((a) => a.values.join('\u0000'))).size;
    // sources without bind values (most OTel instrumentations) cannot show them differ
    const eqUnknown = shape.equality.find((e) => occ.every((a) => a.values[e.param - 1] === undefined)) ?? null;
    let rule: N1Rule | null = null;
    let reason: IgnoredReason | null = null;
    const setVarying = varying.size > 0 && [...varying].every((p) => shape.equality.some((e) => e.param === p && (e.set || (e.array && occ.some((a) => arrayLength(a.values[p - 1]) > 1)))));
    if (identical && events.some((e) => e.failed === true)) reason = 'retry';
    else if (shape.command === 'insert') rule = identical ? null : 'n1-row-by-row-insert';
    else if (shape.command === 'select' && shape.existenceProbe) reason = 'existence-check';
    else if (identical && eqUnknown === null) rule = shape.command === 'select' ? 'n1-repeated-identical' : null;
    // each statement reads a list of keys (IN (…) / = ANY): a job reading in chunks, already batched
    else if (setVarying) reason = 'chunked-batch';
    else if (varying.size > 0 && [...varying].every((p) => shape.pagingParams.includes(p))) reason = 'pagination';
    else if (eqVarying !== null) rule = 'n1-query';
    else if (eqUnknown !== null && varying.size === 0) rule = 'n1-query';
    else if (shape.command === 'select' && varying.size > 0 && shape.pagingParams.length === 0) rule = 'n1-query';
    // without bind values a paged statement is still recognisable by its LIMIT/OFFSET parameters
    else reason = varying.size === 0 && shape.equality.length === 0 && shape.pagingParams.length > 0 ? 'pagination' : 'no-varying-equality';
    if (rule === null) {
      // normalized text: literals an ORM inlines must not reach the report
      if (reason !== null) ignored.push({ reason, fingerprint: fp, sql: shape.normalized, count: o.indexes.length });
      continue;
    }
    candidates.push({
      rule,
      events,
      first: o.indexes[0] ?? 0,
      last: o.indexes[o.indexes.length - 1] ?? 0,
      member: {
        shape,
        sql,
        count: events.length,
        distinctValues,
        varyingColumn: (eqVarying ?? eqUnknown) === null ? null : { table: (eqVarying ?? eqUnknown)?.table ?? null, column: (eqVarying ?? eqUnknown)?.column ?? '' },
        callSite: mostCommon(events.map((e) => e.callSite)),
      },
    });
  }
  // repeating groups (MN+1): N+1 loops whose occurrences interleave belong to one loop body
  const loops = candidates.filter((c) => c.rule === 'n1-query').sort((a, b) => a.first - b.first);
  const groups: Candidate[][] = [];
  for (const c of loops) {
    const g = groups[groups.length - 1];
    if (g !== undefined && c.first < Math.max(...g.map((x) => x.last))) g.push(c);
    else groups.push([c]);
  }
  const patterns: UnitPattern[] = [];
  const parentOf = (first: number): { parent: StatementShape | null; parentSql: string | null } => {
    for (let i = first - 1; i >= 0; i--) {
      const a = analyzed[i];
      if (a?.shape?.command === 'select') return { parent: a.shape, parentSql: unit.events[i]?.sql ?? null };
      if (a?.shape !== null && a?.shape.command !== 'utility') break;
    }
    return { parent: null, parentSql: null };
  };
  const emit = (rule: N1Rule, members: Candidate[]): void => {
    const events = members.flatMap((m) => m.events);
    const time = totalTime(events);
    const costMs = applicationCostMs(events.length, time, thresholds.roundTripMs);
    if (costMs < thresholds.minTimeMs) {
      for (const m of members) ignored.push({ reason: 'below-thresholds', fingerprint: m.member.shape.fingerprint, sql: m.member.shape.normalized, count: m.events.length });
      return;
    }
    // one backend runs one statement at a time: a log session cannot fan out
    const concurrency = unit.source === 'log' ? 1 : maxConcurrency(members[0]?.events ?? []);
    const first = Math.min(...members.map((m) => m.first));
    patterns.push({
      rule: rule === 'n1-query' && concurrency > 1 ? 'n1-fan-out' : rule,
      members: members.map((m) => m.member),
      callSite: members[0]?.member.callSite ?? null,
      count: events.length,
      timeMs: time,
      costMs,
      maxConcurrency: concurrency,
      ...parentOf(first),
    });
  };
  for (const g of groups) emit(g.length > 1 ? 'n1-repeating-group' : 'n1-query', g);
  for (const c of candidates) if (c.rule !== 'n1-query') emit(c.rule, [c]);
  return { patterns, ignored };
}
