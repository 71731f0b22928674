import { DurationSketch } from './duration-sketch.ts';
import type { LogsConnections, LogsCount } from './logs-model.ts';

const AUTHORIZED = /^connection authorized: user=(\S*)(?: database=(\S*))?(?: application_name=(.*?))?(?: \(|$| SSL| GSS)/;
const DISCONNECTION = /^disconnection: session time: (\d+):(\d\d):(\d\d(?:\.\d+)?) user=(\S*) database=(\S*) host=(\S*)/;
const RECEIVED = /^connection received: host=(\S*)/;
const MAX_NAMES = 1000;

class Counter {
  private readonly counts = new Map<string, number>();
  add(name: string): void {
    const seen = this.counts.get(name);
    if (seen !== undefined || this.counts.size < MAX_NAMES) this.counts.set(name, (seen ?? 0) + 1);
  }
  top(n: number): LogsCount[] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([name, count]) => ({ name, count }));
  }
}

/** Connections received and authorized, sessions and their durations (log_connections, log_disconnections). */
export class ConnectionStats {
  private received = 0;
  private authorized = 0;
  private readonly sessions = new DurationSketch();
  private readonly byDatabase = new Counter();
  private readonly byUser = new Counter();
  private readonly byApplication = new Counter();
  private readonly byHost = new Counter();
  private second = -1;
  private inSecond = 0;
  private peak = 0;
  authFailures = 0;

  add(message: string, timeMs: number | null): boolean {
    if (!message.startsWith('connection ') && !message.startsWith('disconnection:')) return false;
    if (message.startsWith('connection received:')) {
      this.received++;
      const host = RECEIVED.exec(message)?.[1];
      if (host !== undefined) this.byHost.add(host);
      if (timeMs !== null) {
        const s = Math.floor(timeMs / 1000);
        this.inSecond = s === this.second ? this.inSecond + 1 : 1;
        this.second = s;
        this.peak = Math.max(this.peak, this.inSecond);
      }
      return true;
    }
    if (message.startsWith('connection authorized:')) {
      this.authorized++;
      const m = AUTHORIZED.exec(message);
      if (m !== null) {
        this.byUser.add(m[1] ?? '');
        if (m[2] !== undefined) this.byDatabase.add(m[2]);
        if (m[3] !== undefined) this.byApplication.add(m[3]);
      }
      return true;
    }
    const d = DISCONNECTION.exec(message);
    if (d === null) return message.startsWith('disconnection:');
    this.sessions.add((Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3])) * 1000);
    return true;
  }

  result(): LogsConnections {
    const s = this.sessions;
    const r = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);
    return {
      received: this.received,
      authorized: this.authorized,
      sessions: s.count,
      sessionTotalMs: Math.round(s.sum * 1000) / 1000,
      sessionMeanMs: s.count === 0 ? null : r(s.sum / s.count),
      sessionP50Ms: r(s.quantile(0.5)),
      sessionP95Ms: r(s.quantile(0.95)),
      peakPerSecond: this.peak,
      authenticationFailures: this.authFailures,
      byDatabase: this.byDatabase.top(20),
      byUser: this.byUser.top(20),
      byApplication: this.byApplication.top(20),
      byHost: this.byHost.top(20),
    };
  }
}
