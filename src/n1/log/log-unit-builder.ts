import type { QueryEvent, QueryUnit } from '../query-event.ts';
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
}

interface SessionState {
  events: MutableEvent[];
  inTransaction: boolean;
  lastTime: number | null;
  lastVxid: string | null;
  /** the event a following duration/DETAIL line belongs to */
  pending: MutableEvent | null;
  counter: number;
}

export interface LogStats {
  records: number;
  statements: number;
  durationsOnly: number;
  withParameters: number;
  sessions: number;
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
  readonly stats: LogStats = { records: 0, statements: 0, durationsOnly: 0, withParameters: 0, sessions: 0 };
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
      s = { events: [], inTransaction: false, lastTime: null, lastVxid: null, pending: null, counter: 0 };
      this.sessions.set(key, s);
      this.stats.sessions++;
    }
    if (r.timeMs !== null) this.latest = Math.max(this.latest, r.timeMs);
    if (r.severity === 'DETAIL') {
      this.applyDetail(s, r.message);
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
    const sameVxid = r.vxid !== null && r.vxid !== '' && r.vxid === s.lastVxid;
    const gap = r.timeMs !== null && s.lastTime !== null && r.timeMs - s.lastTime > this.gapMs;
    if (!s.inTransaction && !sameVxid && gap) this.flush(key, s);
    const durationMs = m[1] === undefined ? null : Number(m[1]);
    const event: MutableEvent = {
      sql,
      params: null,
      startMs: r.timeMs === null ? null : durationMs === null ? r.timeMs : r.timeMs - durationMs,
      durationMs,
      callSite: null,
      rows: null,
      connection: key,
    };
    if (r.detail !== null) this.applyDetailTo(event, r.detail);
    s.events.push(event);
    s.pending = event;
    s.lastTime = r.timeMs;
    s.lastVxid = r.vxid;
    if (s.events.length >= MAX_UNIT_EVENTS) this.flush(key, s);
    if (++this.sinceSweep >= 10_000) this.sweep();
  }

  private applyDetail(s: SessionState, detail: string): void {
    if (s.pending !== null) this.applyDetailTo(s.pending, detail);
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
