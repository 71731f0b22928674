import type { LogsLockWait } from './logs-model.ts';

export const LOCK_WAIT = /^process (\d+) (still waiting for|acquired|detected deadlock while waiting for|avoided deadlock for) (.+?) (?:on (.+?) )?after ([\d.]+) ms/;
const HOLDERS = /Process(?:es)? holding the lock: ([\d, ]+)\./;
const DEADLOCK_WAIT = /Process (\d+) waits for (.+?); blocked by process (\d+)\./g;
const DEADLOCK_STATEMENT = /^Process (\d+): ([\s\S]*?)(?=\nProcess \d+: |$)/gm;
const MAX_EVENTS = 1000;

export type MutableLockWait = { -readonly [K in keyof LogsLockWait]: LogsLockWait[K] };

/** Lock waits (log_lock_waits: waits longer than deadlock_timeout) and deadlocks, with the statements on both sides. */
export class LockWaits {
  private readonly events: MutableLockWait[] = [];
  waits = 0;
  deadlocks = 0;
  dropped = 0;

  /** "process N still waiting for ShareLock on transaction 744 after 200 ms" and friends. */
  wait(m: RegExpExecArray, time: string | null, line: number): MutableLockWait | null {
    const verb = m[2] ?? '';
    const lock = `${m[3] ?? ''}${m[4] === undefined ? '' : ` on ${m[4]}`}`;
    if (verb === 'acquired') {
      // the same wait, now over: its total time
      const open = [...this.events].reverse().find((e) => e.pid === m[1] && e.lock === lock && !e.acquired && e.kind === 'wait');
      if (open !== undefined) {
        open.acquired = true;
        open.waitedMs = Number(m[5]);
      }
      return null;
    }
    if (verb !== 'still waiting for') return null;
    this.waits++;
    return this.push({ time, line, kind: 'wait', pid: m[1] ?? null, lock, waitedMs: Number(m[5]), acquired: false, blockedStatement: null, blockingPids: [], blockingStatement: null });
  }

  /** "ERROR: deadlock detected"; its DETAIL names the processes and their statements. */
  deadlock(pid: string | null, time: string | null, line: number): MutableLockWait | null {
    this.deadlocks++;
    return this.push({ time, line, kind: 'deadlock', pid, lock: '', waitedMs: null, acquired: false, blockedStatement: null, blockingPids: [], blockingStatement: null });
  }

  private push(e: MutableLockWait): MutableLockWait | null {
    if (this.events.length >= MAX_EVENTS) {
      this.dropped++;
      return null;
    }
    this.events.push(e);
    return e;
  }

  result(): LogsLockWait[] {
    return this.events.map((e) => ({ ...e }));
  }
}

/** Fills a wait or deadlock from its DETAIL line; `lastStatementOf` gives what a blocking process ran last. */
export function applyLockDetail(e: MutableLockWait, detail: string, lastStatementOf: (pid: string) => string | null): void {
  if (e.kind === 'wait') {
    const holders = HOLDERS.exec(detail)?.[1]?.split(/[,\s]+/).filter((p) => p !== '') ?? [];
    e.blockingPids = holders;
    const first = holders[0];
    if (first !== undefined) e.blockingStatement = lastStatementOf(first);
    return;
  }
  const waits = [...detail.matchAll(DEADLOCK_WAIT)];
  const statements = new Map([...detail.matchAll(DEADLOCK_STATEMENT)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]));
  const mine = waits.find((w) => w[1] === e.pid) ?? waits[0];
  if (mine === undefined) return;
  e.pid ??= mine[1] ?? null;
  e.lock = mine[2] ?? '';
  e.blockingPids = [...new Set(waits.filter((w) => w[1] !== e.pid).map((w) => w[1] ?? ''))];
  if (e.blockingPids.length === 0 && mine[3] !== undefined) e.blockingPids = [mine[3]];
  e.blockedStatement ??= statements.get(e.pid ?? '') ?? null;
  const other = e.blockingPids[0];
  e.blockingStatement = (other === undefined ? null : statements.get(other)) ?? (other === undefined ? null : lastStatementOf(other));
}
