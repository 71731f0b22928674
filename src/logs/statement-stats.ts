import { createHash } from 'node:crypto';
import { maskLiterals } from '../n1/sql-literals.ts';
import { fingerprintSql, normalizeSql } from '../sql/index.ts';
import { DurationSketch, SKETCH_RELATIVE_ERROR } from './duration-sketch.ts';
import type { LogsStatement } from './logs-model.ts';

export interface StatementIdentity {
  readonly fingerprint: string;
  readonly query: string;
}

interface Entry {
  readonly id: StatementIdentity;
  readonly sketch: DurationSketch;
  untimed: number;
  readonly hours: Map<number, [number, number]>;
}

const MAX_SHAPES = 20_000;
const MAX_CACHE = 100_000;
const HOUR_MS = 3_600_000;

/**
 * Identifies a statement's shape once per literal-masked text (libpg_query costs ~50 µs a call,
 * the mask ~1 µs): the fingerprint and normalized text of libpg_query, else, for text it cannot
 * parse, a hash of the masked text.
 */
export class StatementIdentifier {
  private readonly cache = new Map<string, StatementIdentity>();
  /** texts without literals (bind parameters: the usual ORM statement) skip the mask */
  private readonly verbatim = new Map<string, StatementIdentity>();
  unparsable = 0;

  identify(sql: string): StatementIdentity {
    const known = this.verbatim.get(sql);
    if (known !== undefined) return known;
    const masked = maskLiterals(sql);
    const key = masked.key;
    let id = this.cache.get(key);
    if (id !== undefined) {
      if (masked.literals.length === 0) this.remember(sql, id);
      return id;
    }
    const fingerprint = fingerprintSql(sql);
    if (fingerprint === null) {
      this.unparsable++;
      id = { fingerprint: createHash('sha1').update(key).digest('hex').slice(0, 16), query: key };
    } else {
      id = { fingerprint, query: normalizeSql(sql) ?? key };
    }
    if (this.cache.size >= MAX_CACHE) this.cache.clear();
    // a detached copy: the key may be a slice of a 1 MiB read chunk
    this.cache.set(Buffer.from(key, 'utf8').toString('utf8'), id);
    if (masked.literals.length === 0) this.remember(sql, id);
    return id;
  }

  private remember(sql: string, id: StatementIdentity): void {
    if (this.verbatim.size >= MAX_CACHE) this.verbatim.clear();
    this.verbatim.set(Buffer.from(sql, 'utf8').toString('utf8'), id);
  }
}

/** Calls, durations and percentiles per statement shape, by hour. */
export class StatementStats {
  private readonly entries = new Map<string, Entry>();
  private readonly other = { shapes: new Set<string>(), calls: 0, totalMs: 0 };
  queries = 0;
  totalMs = 0;

  add(id: StatementIdentity, durationMs: number | null, timeMs: number | null): void {
    this.queries++;
    if (durationMs !== null) this.totalMs += durationMs;
    let e = this.entries.get(id.fingerprint);
    if (e === undefined) {
      if (this.entries.size >= MAX_SHAPES) {
        if (this.other.shapes.size < MAX_SHAPES) this.other.shapes.add(id.fingerprint);
        this.other.calls++;
        this.other.totalMs += durationMs ?? 0;
        return;
      }
      e = { id, sketch: new DurationSketch(), untimed: 0, hours: new Map() };
      this.entries.set(id.fingerprint, e);
    }
    if (durationMs === null) e.untimed++;
    else e.sketch.add(durationMs);
    if (timeMs !== null) {
      const h = Math.floor(timeMs / HOUR_MS);
      const slot = e.hours.get(h);
      if (slot === undefined) e.hours.set(h, [1, durationMs ?? 0]);
      else {
        slot[0]++;
        slot[1] += durationMs ?? 0;
      }
    }
  }

  /** Shapes by total time (then calls), the first `limit`. */
  result(limit: number): { statements: LogsStatement[]; other: { shapes: number; calls: number; totalMs: number } | null } {
    const round = (v: number | null): number => (v === null ? 0 : Math.round(v * 1000) / 1000);
    const all = [...this.entries.values()].sort((a, b) => b.sketch.sum - a.sketch.sum || b.sketch.count + b.untimed - (a.sketch.count + a.untimed));
    const kept = all.slice(0, limit);
    const statements = kept.map((e): LogsStatement => {
      const s = e.sketch;
      return {
        query: e.id.query,
        fingerprint: e.id.fingerprint,
        calls: s.count + e.untimed,
        totalMs: round(s.sum),
        meanMs: round(s.count === 0 ? null : s.sum / s.count),
        p50Ms: round(s.quantile(0.5)),
        p95Ms: round(s.quantile(0.95)),
        p99Ms: round(s.quantile(0.99)),
        minMs: round(s.count === 0 ? null : s.min),
        maxMs: round(s.count === 0 ? null : s.max),
        percentiles: s.isExact ? 'exact' : 'sketch',
        untimedCalls: e.untimed,
        share: this.totalMs > 0 ? Math.round((s.sum / this.totalMs) * 10000) / 10000 : 0,
        byHour: [...e.hours.entries()].sort((a, b) => a[0] - b[0]).map(([h, [calls, total]]) => ({ hour: new Date(h * HOUR_MS).toISOString().slice(0, 13), calls, totalMs: round(total) })),
      };
    });
    const rest = all.slice(limit);
    const otherCalls = this.other.calls + rest.reduce((n, e) => n + e.sketch.count + e.untimed, 0);
    const otherMs = this.other.totalMs + rest.reduce((n, e) => n + e.sketch.sum, 0);
    const shapes = this.other.shapes.size + rest.length;
    return { statements, other: shapes === 0 ? null : { shapes, calls: otherCalls, totalMs: round(otherMs) } };
  }
}

export const PERCENTILE_NOTE = `p50/p95/p99 are nearest-rank over the logged durations: exact up to 128 calls per shape, beyond that within ±${SKETCH_RELATIVE_ERROR * 100} % (log-bucket sketch, flat memory)`;
