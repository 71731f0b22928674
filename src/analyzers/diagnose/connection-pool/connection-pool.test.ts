import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { collectSnapshot } from '../../../collect/collect-snapshot.ts';
import type { Finding, Snapshot } from '../../../model/index.ts';
import { connectionProfile } from '../../../pool/connection-profile.ts';
import { connectionPool } from './index.ts';

let t: TestDatabase;
const idle: pg.Client[] = [];
let tx: pg.Client;
let txPid: number;

const defaults = { usageWarnPercent: 80, idleMin: 10, idleInTransactionSeconds: 0, shortLivedSeconds: 5, shortLivedMin: 5 };

async function snapshot(): Promise<Snapshot> {
  return collectSnapshot(await t.open());
}
async function run(s: Snapshot, options: Partial<typeof defaults> = {}): Promise<readonly Finding[]> {
  return connectionPool.run({ snapshot: s, workload: null, options: { ...defaults, ...options }, whatIf: null, baseline: null });
}

beforeAll(async () => {
  t = await createTestDatabase('cp_analyzer');
  for (let i = 0; i < 12; i++) {
    const c = await t.client();
    await c.query("SET application_name = 'dbo-cp-idle'");
    idle.push(c);
  }
  tx = await t.client();
  await tx.query("SET application_name = 'dbo-cp-iit'");
  txPid = ((await tx.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
  await tx.query('BEGIN');
  await tx.query('SELECT 1');
});
afterAll(async () => {
  for (const c of idle) await c.end().catch(() => undefined);
  await tx.end().catch(() => undefined);
  await t.drop();
});

describe('connection-pool analyzer', () => {
  it('reports idle connections with their estimated memory and the session idle in transaction', async () => {
    const s = await snapshot();
    const findings = await run(s);
    const idleFinding = findings.find((f) => f.rule === 'connection-pool/idle-connections');
    expect(idleFinding).toBeDefined();
    const apps = idleFinding?.evidence.byApplication as { application: string; idle: number }[];
    expect(apps.find((a) => a.application === 'dbo-cp-idle')?.idle).toBe(12);
    expect(Number(idleFinding?.evidence.estimatedIdleBytes)).toBeGreaterThanOrEqual(12 * 5 * 1024 * 1024);
    const iit = findings.find((f) => f.rule === 'connection-pool/idle-in-transaction');
    expect(iit).toBeDefined();
    expect(Number(iit?.evidence.count)).toBeGreaterThanOrEqual(1);
    // our fresh connections count as per-request ones at a generous threshold
    expect(connectionProfile(s, { shortLivedSeconds: 3600 })?.shortLived.count).toBeGreaterThanOrEqual(13);
  });

  it('stays quiet under its thresholds', async () => {
    const findings = await run(await snapshot(), { idleMin: 100_000, idleInTransactionSeconds: 86_400, usageWarnPercent: 100, shortLivedMin: 100_000 });
    expect(findings.filter((f) => /idle|short-lived/.test(f.rule))).toEqual([]);
  });

  it('the finding goes away once the transaction is committed and the idle connections are closed', async () => {
    await tx.query('COMMIT');
    for (const c of idle.splice(0)) await c.end();
    // backends exit asynchronously after the client disconnects
    for (let i = 0; i < 50; i++) {
      const left = (await t.exec("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'dbo-cp-idle'")).rows[0] as { n: number };
      if (left.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const findings = await run(await snapshot());
    const iit = findings.find((f) => f.rule === 'connection-pool/idle-in-transaction');
    const worst = (iit?.evidence.worst ?? []) as { pid: number }[];
    expect(worst.some((w) => w.pid === txPid)).toBe(false);
    const apps = (findings.find((f) => f.rule === 'connection-pool/idle-connections')?.evidence.byApplication ?? []) as { application: string }[];
    expect(apps.some((a) => a.application === 'dbo-cp-idle')).toBe(false);
  });
});
