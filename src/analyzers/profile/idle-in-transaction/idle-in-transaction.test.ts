import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type pg from 'pg';
import { idleInTransaction } from './index.ts';

let t: TestDatabase;
let holder: pg.Client;
let pid: number;
beforeAll(async () => {
  t = await createTestDatabase('idle_in_tx');
  await t.exec('CREATE TABLE accounts (id int PRIMARY KEY, balance int)');
  await t.exec('INSERT INTO accounts VALUES (1, 100)');
  holder = await t.client();
  pid = Number((await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  // the test holds a transaction open and goes quiet, like a forgotten COMMIT
  await holder.query('BEGIN');
  await holder.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
});
afterAll(async () => {
  await holder.end().catch(() => undefined);
  await t.drop();
});

describe('idle-in-transaction', () => {
  it('reports the session idle in transaction with its pid, age and the terminate statement (printed, not run)', async () => {
    const findings = await runAnalyzer(idleInTransaction, { snapshot: await snapshotOf(t), options: { minSeconds: 0 } });
    const f = findings[0];
    const sessions = f?.evidence.sessions as { pid: number; state: string; query: string; database: string }[];
    const ours = sessions.find((s) => s.pid === pid);
    expect(ours).toMatchObject({ state: 'idle in transaction', database: t.name });
    expect(ours?.query).toMatch(/^UPDATE accounts SET balance = balance - \$?\d*/);
    expect(f?.fix?.content).toContain(`SELECT pg_terminate_backend(${pid});`);
    expect(f?.fix?.safety).toBe('dangerous');
    // still there: printed, never run
    expect((await holder.query('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });

  it('ignores sessions idle for less than minSeconds, and finds nothing once the transaction ends', async () => {
    const young = await runAnalyzer(idleInTransaction, { snapshot: await snapshotOf(t), options: { minSeconds: 3600 } });
    expect(young.flatMap((f) => f.evidence.sessions as { pid: number }[]).some((s) => s.pid === pid)).toBe(false);
    await holder.query('COMMIT');
    const after = await runAnalyzer(idleInTransaction, { snapshot: await snapshotOf(t), options: { minSeconds: 0 } });
    expect(after.flatMap((f) => f.evidence.sessions as { pid: number }[]).some((s) => s.pid === pid)).toBe(false);
  });
});
