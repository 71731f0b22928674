import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf, waitFor } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type pg from 'pg';
import { longRunningQueries } from './index.ts';

let t: TestDatabase;
let runner: pg.Client;
let pid: number;
let running: Promise<unknown>;
beforeAll(async () => {
  t = await createTestDatabase('long_running');
  runner = await t.client();
  pid = Number((await runner.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  running = runner.query('SELECT pg_sleep(60)').catch((e: Error) => e);
  await waitFor(async () => (await t.exec('SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = $2', [pid, 'active'])).rowCount === 1);
  await new Promise((r) => setTimeout(r, 1100));
});
afterAll(async () => {
  await t.exec('SELECT pg_cancel_backend($1)', [pid]);
  await running;
  await runner.end();
  await t.drop();
});

describe('long-running-queries', () => {
  it('reports the statement running longer than minSeconds with pg_cancel_backend printed', async () => {
    const findings = await runAnalyzer(longRunningQueries, { snapshot: await snapshotOf(t), options: { minSeconds: 1 } });
    const f = findings.find((x) => x.evidence.pid === pid);
    expect(f?.evidence).toMatchObject({ state: 'active', database: t.name });
    expect(f?.evidence.query).toMatch(/pg_sleep/);
    expect(Number(f?.evidence.queryAgeSeconds)).toBeGreaterThanOrEqual(1);
    expect(f?.fix?.content).toContain(`SELECT pg_cancel_backend(${pid});`);
    expect(f?.severity).toBe('warning');
  });

  it('does not report it under the default 60 s threshold', async () => {
    const findings = await runAnalyzer(longRunningQueries, { snapshot: await snapshotOf(t) });
    expect(findings.some((x) => x.evidence.pid === pid)).toBe(false);
  });
});
