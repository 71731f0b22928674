import type { QueryEvent, QueryUnit } from '../query-event.ts';
import { maskLiterals } from '../sql-literals.ts';
import type { LogRecord } from './log-record.ts';
import { parseParameters } from './log-record.ts';

interface MutableEvent {
  sql: string;
  params: string[] | null;
  startMs: number | null;
  durationMs: number | null;
  callSite: null;
  rows: null;
  connection: string | null;
  failed?: boolean;
}

/** The statement that opened a burst, to notice the next request starting on a pooled connection. */
interface Opening {
  readonly key: string;
  readonly literals: string;
  params: string | null;
  readonly event: MutableEvent;
}

interface SessionState {
  events: MutableEvent[];
  inTransaction: boolean;
  lastTime: number | null;
  lastVxid: string | null;
  /** the event a following duration/DETAIL line belongs to */
  pending: MutableEvent | null;
  counter: number;
  opening: Opening | null;
  /** occurrences per statement shape since the opening one; a repeat means a loop ran */
  shapes: Map<string, number>;
  loopSeen: boolean;
  /** the opening statement came again inside the unit: it is part of the loop, not a request start */
  openingLooped: boolean;
  /** an ERROR was logged: its STATEMENT line is the failed statement */
  errorPending: boolean;
}

export interface LogStats {
  records: number;
  statements: number;
  durationsOnly: number;
  withParameters: number;
  sessions: number;
  /** bursts split because their opening statement came again (the next request on a pooled connection) */
  restarts: number;
  failed: number;
}

const MAX_UNIT_EVENTS = 20_000;
const STATEMENT = /^(?:duration: ([\d.]+) ms\s+)?(statement|execute [^:]*|parse [^:]*|bind [^:]*): ([\s\S]*)$/;
const DURATION_ONLY = /^duration: ([\d.]+) ms$/;

/**
 * Turns log records into units of work: per session, an explicit transaction (BEGIN …
 * COMMIT), else statements of one virtual transaction, else a burst of statements closer
 * than `gapMs` to each other. Only open units are kept in memory.
 */
export class LogUnitBuilder {
  private readonly sessions = new Map<string, SessionState>();
  readonly stats: LogStats = { records: 0, statements: 0, durationsOnly: 0, withParameters: 0, sessions: 0, restarts: 0, failed: 0 };
  private sinceSweep = 0;
  private latest = 0;

  constructor(
    private readonly emit: (unit: QueryUnit) => void,
    private readonly gapMs: number,
  ) {}

  add(r: LogRecord): void {
    this.stats.records++;
    const key = r.session ?? 'unknown';
    let s = this.sessions.get(key);
    if (s === undefined) {
      s = { events: [], inTransaction: false, lastTime: null, lastVxid: null, pending: null, counter: 0, opening: null, shapes: new Map(), loopSeen: false, openingLooped: false, errorPending: false };
      this.sessions.set(key, s);
      this.stats.sessions++;
    }
    if (r.timeMs !== null) this.latest = Math.max(this.latest, r.timeMs);
    if (r.severity === 'DETAIL') {
      this.applyDetail(s, r.message);
      return;
    }
    if (r.severity === 'ERROR') {
      if (s.pending !== null) this.markFailed(s.pending);
      s.errorPending = s.pending === null;
      s.pending = null;
      return;
    }
    if (r.severity === 'STATEMENT' && s.errorPending) {
      // log_min_duration_statement logs a failed statement only here
      s.errorPending = false;
      this.push(key, s, r, { sql: r.message.trim(), params: null, startMs: r.timeMs, durationMs: null, callSite: null, rows: null, connection: key, failed: true });
      this.stats.failed++;
      s.pending = null;
      return;
    }
    if (r.severity !== 'LOG') {
      if (r.severity !== 'STATEMENT' && r.severity !== 'HINT' && r.severity !== 'CONTEXT') s.pending = null;
      return;
    }
    if (r.message.startsWith('disconnection:')) {
      this.flush(key, s);
      this.sessions.delete(key);
      return;
    }
    const d = DURATION_ONLY.exec(r.message);
    if (d !== null) {
      this.stats.durationsOnly++;
      if (s.pending !== null && s.pending.durationMs === null) s.pending.durationMs = Number(d[1]);
      return;
    }
    const m = STATEMENT.exec(r.message);
    if (m === null) return;
    const kind = m[2] ?? '';
    if (kind.startsWith('parse') || kind.startsWith('bind')) {
      s.pending = null;
      return;
    }
    const sql = (m[3] ?? '').trim();
    this.stats.statements++;
    const head = sql.slice(0, 20).toUpperCase();
    if (/^(BEGIN|START TRANSACTION)\b/.test(head)) {
      this.flush(key, s);
      s.inTransaction = true;
      s.pending = null;
      s.lastTime = r.timeMs;
      return;
    }
    if (/^(COMMIT|ROLLBACK|END|ABORT)\b/.test(head) && !/^(COMMIT|ROLLBACK) PREPARED/.test(head)) {
      this.flush(key, s);
      s.inTransaction = false;
      s.pending = null;
      s.lastTime = r.timeMs;
      return;
    }
    const durationMs = m[1] === undefined ? null : Number(m[1]);
    this.push(key, s, r, {
      sql,
      params: null,
      startMs: r.timeMs === null ? null : durationMs === null ? r.timeMs : r.timeMs - durationMs,
      durationMs,
      callSite: null,
      rows: null,
      connection: key,
    });
  }

  private push(key: string, s: SessionState, r: LogRecord, event: MutableEvent): void {
    const sameVxid = r.vxid !== null && r.vxid !== '' && r.vxid === s.lastVxid;
    const loose = !s.inTransaction && !sameVxid;
    const gap = r.timeMs !== null && s.lastTime !== null && r.timeMs - s.lastTime > this.gapMs;
    if (loose && gap) this.flush(key, s);
    if (r.detail !== null) this.applyDetailTo(event, r.detail);
    const masked = maskLiterals(event.sql);
    const o = s.opening;
    if (loose && o !== null && masked.key === o.key && !s.openingLooped) {
      const sameValues = masked.literals.join('\u0000') === o.literals && (event.params?.join('\u0000') ?? null) === o.params;
      if (s.loopSeen || sameValues) {
        // the burst's opening statement again, after a loop or with the same values: the next
        // request on this pooled connection (a log without request ids cannot say otherwise)
        this.stats.restarts++;
        this.flush(key, s);
      } else if (event.params !== null || o.params === null) {
        // it comes back before any loop ran (A B A B): it is the loop itself
        s.openingLooped = true;
      }
    }
    if (s.events.length === 0) {
      this.open(s, event, masked.key, masked.literals.join('\u0000'));
    } else {
      const n = (s.shapes.get(masked.key) ?? 0) + 1;
      s.shapes.set(masked.key, n);
      if (n >= 2 && masked.key !== s.opening?.key) s.loopSeen = true;
    }
    s.events.push(event);
    s.pending = event;
    s.lastTime = r.timeMs;
    s.lastVxid = r.vxid;
    if (s.events.length >= MAX_UNIT_EVENTS) this.flush(key, s);
    if (++this.sinceSweep >= 10_000) this.sweep();
  }

  private markFailed(e: MutableEvent): void {
    if (e.failed !== true) this.stats.failed++;
    e.failed = true;
  }

  private applyDetail(s: SessionState, detail: string): void {
    const e = s.pending;
    if (e === null) return;
    this.applyDetailTo(e, detail);
    // parameters arrive after the statement (extended protocol): the opening statement with the
    // same values again is the next request; move it to a unit of its own
    const o = s.opening;
    if (o === null) return;
    if (o.event === e) o.params = e.params?.join('\u0000') ?? null;
    else if (!s.inTransaction && !s.openingLooped && s.events[s.events.length - 1] === e && e.params !== null) {
      const masked = maskLiterals(e.sql);
      if (masked.key !== o.key || masked.literals.join('\u0000') !== o.literals) return;
      if (o.params !== e.params.join('\u0000')) {
        s.openingLooped = true;
        return;
      }
      s.events.pop();
      this.stats.restarts++;
      this.flush(`${e.connection ?? 'unknown'}`, s);
      s.events.push(e);
      this.open(s, e, masked.key, o.literals);
      s.pending = e;
    }
  }

  private open(s: SessionState, event: MutableEvent, key: string, literals: string): void {
    s.opening = { key, literals, params: event.params?.join('\u0000') ?? null, event };
    s.shapes.clear();
    s.loopSeen = false;
    s.openingLooped = false;
  }

  private applyDetailTo(e: MutableEvent, detail: string): void {
    const params = parseParameters(detail);
    if (params !== null) {
      e.params = params;
      this.stats.withParameters++;
    }
  }

  private flush(key: string, s: SessionState): void {
    if (s.events.length === 0) return;
    s.counter++;
    const events: QueryEvent[] = s.events;
    this.emit({ kind: s.inTransaction ? 'transaction' : 'session-burst', id: `${key}#${s.counter}`, label: `session ${key}`, source: 'log', events });
    s.events = [];
    s.pending = null;
  }

  /** Closes bursts that can no longer grow, so memory stays flat on long logs. */
  private sweep(): void {
    this.sinceSweep = 0;
    for (const [key, s] of this.sessions) {
      if (s.inTransaction || s.lastTime === null) continue;
      if (this.latest - s.lastTime > this.gapMs) {
        this.flush(key, s);
        if (this.latest - s.lastTime > 60_000) this.sessions.delete(key);
      }
    }
  }

  finish(): void {
    for (const [key, s] of this.sessions) this.flush(key, s);
    this.sessions.clear();
  }
}
