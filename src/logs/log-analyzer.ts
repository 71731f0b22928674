import type { LogRecord } from '../n1/log/log-record.ts';
import { displaySql } from '../sql/index.ts';
import { AutovacuumStats } from './autovacuum-stats.ts';
import { CheckpointStats } from './checkpoint-stats.ts';
import { ConnectionStats } from './connection-stats.ts';
import { ErrorStats } from './error-stats.ts';
import { applyLockDetail, LOCK_WAIT, LockWaits } from './lock-waits.ts';
import type { MutableLockWait } from './lock-waits.ts';
import { PlanSample } from './plan-sample.ts';
import { StatementIdentifier, StatementStats } from './statement-stats.ts';
import type { StatementIdentity } from './statement-stats.ts';
import { TEMP_FILE, TempFileStats } from './temp-file-stats.ts';

const DURATION = /^duration: ([\d.]+) ms(?:\s+(statement|execute [^:]*|parse [^:]*|bind [^:]*|plan):\s?([\s\S]*))?$/;
const UNTIMED = /^(statement|execute [^:]*): ([\s\S]*)$/;
const FOLLOW_UP = new Set(['DETAIL', 'STATEMENT', 'CONTEXT', 'HINT', 'QUERY', 'LOCATION']);
const PROBLEMS = new Set(['ERROR', 'FATAL', 'PANIC', 'WARNING']);

/** What the lines after a record (stderr: DETAIL, STATEMENT, …) complete. */
interface Pending {
  detail: string | null;
  statement: string | null;
  readonly finish: (p: Pending) => void;
  /** applied as soon as the DETAIL arrives (a lock holder's last statement changes as the log goes on) */
  readonly onDetail?: (detail: string) => void;
}

export interface LogAnalyzerOptions {
  readonly sinceMs?: number | null;
  readonly untilMs?: number | null;
  readonly showLiterals?: boolean;
}

export const formatLogTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace('T', ' ').slice(0, 23));

/**
 * Folds log records into the workload report: statements by shape, errors, lock waits, temp
 * files, checkpoints, autovacuum, connections and auto_explain plans. Memory is bounded by the
 * number of shapes, sessions and kept examples, never by the size of the log.
 */
export class LogAnalyzer {
  readonly identifier = new StatementIdentifier();
  readonly statements = new StatementStats();
  readonly errors = new ErrorStats();
  readonly locks = new LockWaits();
  readonly tempFiles = new TempFileStats();
  readonly checkpoints = new CheckpointStats();
  readonly autovacuum = new AutovacuumStats();
  readonly connections = new ConnectionStats();
  readonly plans = new PlanSample();
  private readonly pending = new Map<string, Pending>();
  private readonly untimed = new Map<string, { sql: string; timeMs: number | null }>();
  private readonly lastStatement = new Map<string, StatementIdentity>();
  parseBindMs = 0;
  firstMs: number | null = null;
  lastMs: number | null = null;
  records = 0;
  outOfRange = 0;

  constructor(private readonly options: LogAnalyzerOptions = {}) {}

  add(r: LogRecord): void {
    const t = r.timeMs;
    if (t !== null && ((this.options.sinceMs != null && t < this.options.sinceMs) || (this.options.untilMs != null && t >= this.options.untilMs))) {
      this.outOfRange++;
      return;
    }
    this.records++;
    if (t !== null) {
      if (this.firstMs === null || t < this.firstMs) this.firstMs = t;
      if (this.lastMs === null || t > this.lastMs) this.lastMs = t;
    }
    const key = r.session ?? r.pid ?? '';
    if (FOLLOW_UP.has(r.severity)) {
      const p = this.pending.get(key);
      if (p !== undefined) {
        if (r.severity === 'DETAIL') {
          p.detail = r.message;
          p.onDetail?.(r.message);
        }
        else if (r.severity === 'STATEMENT') p.statement = r.message;
      }
      return;
    }
    this.settle(key);
    if (r.severity === 'LOG') this.log(r, key);
    else if (PROBLEMS.has(r.severity)) this.problem(r, key);
  }

  private expect(key: string, r: LogRecord, finish: (p: Pending) => void, onDetail?: (detail: string) => void): void {
    const p: Pending = { detail: r.detail, statement: r.statement ?? null, finish, ...(onDetail === undefined ? {} : { onDetail }) };
    if (r.detail !== null) onDetail?.(r.detail);
    // csvlog and jsonlog carry DETAIL and the statement in the record itself
    if (r.detail !== null || (r.statement ?? null) !== null) finish(p);
    else this.pending.set(key, p);
  }

  private settle(key: string): void {
    const p = this.pending.get(key);
    if (p !== undefined) {
      this.pending.delete(key);
      p.finish(p);
    }
    const u = this.untimed.get(key);
    if (u !== undefined) {
      this.untimed.delete(key);
      this.statement(key, u.sql, null, u.timeMs);
    }
  }

  private statement(key: string, sql: string, durationMs: number | null, timeMs: number | null): void {
    const id = this.identifier.identify(sql);
    this.statements.add(id, durationMs, timeMs);
    if (this.lastStatement.size > 100_000) this.lastStatement.clear();
    this.lastStatement.set(key, id);
  }

  private log(r: LogRecord, key: string): void {
    const msg = r.message;
    if (msg.startsWith('duration: ')) {
      const m = DURATION.exec(msg);
      if (m === null) return;
      const ms = Number(m[1]);
      const kind = m[2];
      if (kind === undefined) {
        // log_duration after log_statement: the duration of the statement logged just before
        const u = this.untimed.get(key);
        if (u !== undefined) {
          this.untimed.delete(key);
          this.statement(key, u.sql, ms, u.timeMs);
        }
        return;
      }
      if (kind === 'plan') {
        this.plans.add(ms, msg, r.line);
        return;
      }
      if (kind.startsWith('parse') || kind.startsWith('bind')) {
        this.parseBindMs += ms;
        return;
      }
      this.statement(key, m[3] ?? '', ms, r.timeMs);
      return;
    }
    const u = UNTIMED.exec(msg);
    if (u !== null) {
      this.untimed.set(key, { sql: u[2] ?? '', timeMs: r.timeMs });
      return;
    }
    if (this.connections.add(msg, r.timeMs)) {
      if (msg.startsWith('disconnection:')) this.lastStatement.delete(key);
      return;
    }
    if (this.checkpoints.add(msg) || this.autovacuum.add(msg)) return;
    const temp = TEMP_FILE.exec(msg);
    if (temp !== null) {
      const bytes = Number(temp[1]);
      this.expect(key, r, (p) => this.tempFiles.add(p.statement === null ? (this.lastStatement.get(key) ?? null) : this.identifier.identify(p.statement), bytes));
      return;
    }
    const lock = LOCK_WAIT.exec(msg);
    if (lock !== null) {
      const e = this.locks.wait(lock, formatLogTime(r.timeMs), r.line);
      if (e !== null) this.expect(key, r, (p) => this.fillLock(e, p), (detail) => this.lockDetail(e, detail));
    }
  }

  private problem(r: LogRecord, key: string): void {
    const example = this.errors.add(r.severity, r.message, r.sqlstate, formatLogTime(r.timeMs), r.line);
    if (r.severity === 'FATAL' && r.message.startsWith('password authentication failed')) this.connections.authFailures++;
    const deadlock = r.message.startsWith('deadlock detected') ? this.locks.deadlock(r.pid ?? null, formatLogTime(r.timeMs), r.line) : null;
    if (example === null && deadlock === null) return;
    this.expect(key, r, (p) => {
      if (example !== null) {
        example.detail = p.detail === null ? null : this.display(p.detail);
        example.statement = p.statement === null ? null : this.display(p.statement);
      }
      if (deadlock !== null) this.fillLock(deadlock, p);
    }, deadlock === null ? undefined : (detail) => this.lockDetail(deadlock, detail));
  }

  private lockDetail(e: MutableLockWait, detail: string): void {
    applyLockDetail(e, detail, (pid) => this.lastStatementOfPid(pid));
    if (e.blockingStatement !== null) e.blockingStatement = this.display(e.blockingStatement);
    if (e.blockedStatement !== null) e.blockedStatement = this.display(e.blockedStatement);
  }

  private fillLock(e: MutableLockWait, p: Pending): void {
    if (p.statement !== null) e.blockedStatement = this.display(p.statement);
  }

  /** Sessions are keyed by %c when the prefix has it, else by pid: look the pid up either way. */
  private lastStatementOfPid(pid: string): string | null {
    const direct = this.lastStatement.get(pid);
    if (direct !== undefined) return direct.query;
    const hex = `.${Number(pid).toString(16)}`;
    for (const [k, id] of this.lastStatement) if (k.endsWith(hex)) return id.query;
    return null;
  }

  private display(sql: string): string {
    return displaySql(sql, this.options.showLiterals === true);
  }

  /** Ends every open session: follow-ups and statements still waiting for their duration. */
  finish(): void {
    for (const key of [...new Set([...this.pending.keys(), ...this.untimed.keys()])]) this.settle(key);
  }
}
