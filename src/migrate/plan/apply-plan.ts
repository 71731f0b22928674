import type pg from 'pg';
import type { Database } from '../../collect/connection.ts';
import { DbOptimizeError } from '../../errors/index.ts';
import { quoteIdent } from '../../format/format.ts';
import type { MigrationPlan, PlanStep } from './plan-types.ts';
import { q } from './step-draft.ts';

export interface ApplyLogEntry {
  readonly step: number;
  readonly title: string;
  readonly status: 'done' | 'skipped' | 'pending';
  readonly attempts: number;
  readonly ms: number;
  readonly rows?: number;
  readonly batches?: number;
}

export interface ApplyOptions {
  /** first step to run (earlier ones were applied by a previous run) */
  readonly fromStep?: number;
  readonly onProgress?: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function isLockTimeout(error: unknown): boolean {
  return (error as { code?: string }).code === '55P03';
}

/**
 * Runs a plan against the database (the only write path of db-optimize, behind --apply). One
 * session, switched to read-write for this run only; each step with its own lock_timeout and
 * retries; backfills batch by batch with progress and a pause between batches.
 */
export async function applyPlan(db: Database, plan: MigrationPlan, options: ApplyOptions = {}): Promise<ApplyLogEntry[]> {
  const sleep = options.sleep ?? defaultSleep;
  const log: ApplyLogEntry[] = [];
  const client = await db.acquire();
  try {
    await client.query('SET default_transaction_read_only = off');
    await client.query("SET application_name = 'db-optimize migrate apply'");
    let stopped = false;
    for (const step of plan.steps) {
      if (step.n < (options.fromStep ?? 1)) {
        log.push({ step: step.n, title: step.title, status: 'skipped', attempts: 0, ms: 0 });
        continue;
      }
      if (stopped || step.manual === true) {
        // a manual step (deploy code) separates expand from contract: never run the contract in the same go
        if (!stopped) options.onProgress?.(`step ${step.n} is manual (${step.title}): stopping; after it, run again with --from-step ${step.n + 1}`);
        stopped = true;
        log.push({ step: step.n, title: step.title, status: 'pending', attempts: 0, ms: 0 });
        continue;
      }
      const started = Date.now();
      options.onProgress?.(`step ${step.n}/${plan.steps.length}: ${step.title}`);
      if (step.backfill !== undefined) {
        const r = await runBackfill(client, step, sleep, options.onProgress);
        log.push({ step: step.n, title: step.title, status: 'done', attempts: r.attempts, ms: Date.now() - started, rows: r.rows, batches: r.batches });
        continue;
      }
      const attempts = await withRetry(step, sleep, options.onProgress, () => runStep(client, step));
      log.push({ step: step.n, title: step.title, status: 'done', attempts, ms: Date.now() - started });
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const e = error as { message?: string; code?: string };
    const done = log.map((l) => l.step).join(', ') || 'none';
    throw new DbOptimizeError('E_APPLY', 'input', `migration plan stopped: ${e.message ?? String(error)}`, {
      hint: `steps done: ${done}. Fix the cause and re-run (every step is idempotent), or run the rollbacks of the done steps in reverse order.`,
      details: { sqlstate: e.code ?? null, log: JSON.stringify(log) },
      cause: error,
    });
  } finally {
    // never hand a read-write session back to the read-only pool
    client.release(true);
  }
  return log;
}

async function withRetry(step: PlanStep, sleep: (ms: number) => Promise<void>, onProgress: ((m: string) => void) | undefined, fn: () => Promise<unknown>): Promise<number> {
  const attempts = step.retry?.attempts ?? 1;
  for (let i = 1; ; i++) {
    try {
      await fn();
      return i;
    } catch (error) {
      if (!isLockTimeout(error) || i >= attempts) throw error;
      const wait = (step.retry?.backoffMs ?? 1000) * 2 ** (i - 1);
      onProgress?.(`  lock not granted within ${step.lockTimeoutMs} ms (attempt ${i}/${attempts}); retrying in ${wait} ms`);
      await sleep(Math.min(wait, 30_000));
    }
  }
}

async function setTimeouts(client: pg.PoolClient, step: PlanStep, local: boolean): Promise<void> {
  const scope = local ? 'SET LOCAL' : 'SET';
  await client.query(`${scope} lock_timeout = '${step.lockTimeoutMs ?? 0}ms'`);
  await client.query(`${scope} statement_timeout = '${step.statementTimeoutMs ?? 0}ms'`);
}

async function runStep(client: pg.PoolClient, step: PlanStep): Promise<void> {
  if (!step.transactional) {
    await setTimeouts(client, step, false);
    try {
      await client.query(step.sql);
    } catch (error) {
      // a failed CREATE INDEX CONCURRENTLY leaves an invalid index behind: drop it before a retry
      const m = /INDEX CONCURRENTLY IF NOT EXISTS (\S+)/i.exec(step.sql);
      if (m?.[1] !== undefined) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${m[1]}`).catch(() => undefined);
      throw error;
    }
    return;
  }
  await client.query('BEGIN');
  try {
    await setTimeouts(client, step, true);
    await client.query(step.sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function runBackfill(
  client: pg.PoolClient,
  step: PlanStep,
  sleep: (ms: number) => Promise<void>,
  onProgress: ((m: string) => void) | undefined,
): Promise<{ rows: number; batches: number; attempts: number }> {
  const b = step.backfill;
  if (b === undefined) return { rows: 0, batches: 0, attempts: 0 };
  await setTimeouts(client, step, false);
  let rows = 0;
  let batches = 0;
  let attempts = 0;
  const table = q(b.table);
  if (b.key !== null) {
    const k = quoteIdent(b.key);
    const r = await client.query<{ lo: string | null; top: string | null }>(`SELECT min(${k})::text AS lo, max(${k})::text AS top FROM ${table}`);
    if (r.rows[0]?.lo == null || r.rows[0].top == null) return { rows: 0, batches: 0, attempts: 1 };
    const top = BigInt(r.rows[0].top);
    // after each range, jump to the next key that exists: ids with a gap (a sequence that jumped to 1.6e9)
    // would otherwise mean millions of empty ranges
    for (let lo: bigint | null = BigInt(r.rows[0].lo); lo !== null && lo <= top; lo = await nextKey(client, table, k, lo + BigInt(b.batchSize))) {
      const hi = lo + BigInt(b.batchSize);
      attempts += await withRetry(step, sleep, onProgress, async () => {
        const res = await client.query(step.sql, [lo.toString(), hi.toString()]);
        rows += res.rowCount ?? 0;
      });
      batches++;
      if (batches % 10 === 0 || hi > top) onProgress?.(`  backfill ${b.table}: up to ${b.key} ${hi > top ? top : hi - 1n} of ${top} (${rows} rows updated)`);
      await sleep(b.sleepMs);
    }
  } else {
    for (;;) {
      let n = 0;
      attempts += await withRetry(step, sleep, onProgress, async () => {
        n = (await client.query(step.sql)).rowCount ?? 0;
      });
      if (n === 0) break;
      rows += n;
      batches++;
      if (batches % 10 === 0) onProgress?.(`  backfill ${b.table}: ${rows} rows updated`);
      await sleep(b.sleepMs);
    }
  }
  return { rows, batches, attempts };
}

async function nextKey(client: pg.ClientBase, table: string, key: string, from: bigint): Promise<bigint | null> {
  const r = await client.query<{ next: string | null }>(`SELECT min(${key})::text AS next FROM ${table} WHERE ${key} >= $1`, [from.toString()]);
  const next = r.rows[0]?.next;
  return next == null ? null : BigInt(next);
}
