import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf, waitFor } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type pg from 'pg';
import { lockBlocking } from './index.ts';

let t: TestDatabase;
let blocker: pg.Client;
let waiter: pg.Client;
let blockerPid: number;
let waiterPid: number;
let waiting: Promise<unknown>;
const pidOf = async (c: pg.Client) => Number((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);

beforeAll(async () => {
  t = await createTestDatabase('lock_blocking');
  await t.exec('CREATE TABLE sessions (id int PRIMARY KEY, data text)');
  await t.exec("INSERT INTO sessions VALUES (1, 'a')");
  blocker = await t.client();
  waiter = await t.client();
  blockerPid = await pidOf(blocker);
  waiterPid = await pidOf(waiter);
  // two connections: the first holds the row lock, the second queues behind it
  await blocker.query('BEGIN');
  await blocker.query("UPDATE sessions SET data = 'b' WHERE id = 1");
  waiting = waiter.query("UPDATE sessions SET data = 'c' WHERE id = 1").catch((e: Error) => e);
  await waitFor(async () => (await t.exec('SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = $2', [waiterPid, 'Lock'])).rowCount === 1);
});
afterAll(async () => {
  await blocker.query('ROLLBACK').catch(() => undefined);
  await waiting;
  await blocker.end();
  await waiter.end();
  await t.drop();
});

describe('lock-blocking', () => {
  it('shows who blocks whom, with pids, queries and the statements to end it (printed, never run)', async () => {
    const findings = await runAnalyzer(lockBlocking, { snapshot: await snapshotOf(t) });
    const f = findings.find((x) => x.evidence.blockerPid === blockerPid);
    expect(f?.title).toMatch(new RegExp(`^pid ${blockerPid} blocks 1 session`));
    const waitingList = f?.evidence.waiting as { pid: number; blockedBy: number[]; query: string; waitEventType: string }[];
    expect(waitingList).toEqual([expect.objectContaining({ pid: waiterPid, blockedBy: [blockerPid], waitEventType: 'Lock' })]);
    expect(waitingList[0]?.query).toMatch(/^UPDATE sessions SET data = /);
    expect((f?.evidence.blocker as { state: string }).state).toBe('idle in transaction');
    // an idle-in-transaction blocker ignores cancel: only terminate is offered
    expect(f?.fix?.content).toContain(`SELECT pg_terminate_backend(${blockerPid});`);
    expect(f?.fix?.content).not.toContain('pg_cancel_backend');
    expect(f?.description).toContain(`pid ${waiterPid} waits`);
    // the waiter is still waiting: nothing was run
    expect((await t.exec('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [waiterPid])).rows[0]?.wait_event_type).toBe('Lock');
  });

  it('finds no chain once the blocker commits', async () => {
    await blocker.query('COMMIT');
    await waiting;
    const findings = await runAnalyzer(lockBlocking, { snapshot: await snapshotOf(t) });
    expect(findings.some((x) => x.evidence.blockerPid === blockerPid)).toBe(false);
  });
});
