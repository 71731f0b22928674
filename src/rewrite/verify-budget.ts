import type pg from 'pg';

export const DEFAULT_VERIFY_BUDGET_MS = 60_000;
/** share of the budget the full-data comparison may use before the restricted comparison takes over */
export const FULL_DATA_SHARE = 0.25;

/**
 * The time one verification may take, end to end. Every statement it runs gets a statement_timeout
 * cut from what is left, so the whole check ends within the budget and can say where time went.
 */
export class VerifyBudget {
  readonly totalMs: number;
  private readonly started: number;
  private readonly now: () => number;

  constructor(totalMs: number, now: () => number = () => performance.now()) {
    this.totalMs = totalMs;
    this.now = now;
    this.started = now();
  }

  elapsedMs(): number {
    return this.now() - this.started;
  }

  remainingMs(): number {
    return Math.max(0, this.totalMs - this.elapsedMs());
  }

  /** a step's timeout: its share of what is left, never beyond the session's own statement_timeout */
  stepMs(share: number, sessionTimeoutMs: number): number {
    return Math.max(1, Math.floor(Math.min(sessionTimeoutMs, this.remainingMs() * share)));
  }
}

/** SET LOCAL outside any savepoint, so a rolled-back step keeps it. */
export async function setStatementTimeout(client: pg.PoolClient, ms: number): Promise<void> {
  await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(ms))}`);
}

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
