import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type pg from 'pg';
import { connectionUsage } from './index.ts';

let t: TestDatabase;
const clients: pg.Client[] = [];
beforeAll(async () => {
  t = await createTestDatabase('connection_usage');
  for (let i = 0; i < 3; i++) clients.push(await t.client());
});
afterAll(async () => {
  for (const c of clients) await c.end();
  await t.drop();
});

describe('connection-usage', () => {
  it('reports use as a share of max_connections minus reserved slots, with the split by state', async () => {
    const snapshot = await snapshotOf(t);
    const c = snapshot.connections;
    if (c === null) throw new Error('connections not collected');
    const usable = c.maxConnections - c.superuserReserved - c.reserved;
    // thresholds below the current use (at least our 4 sessions) make it a finding
    const [f] = await runAnalyzer(connectionUsage, { snapshot, options: { warnPercent: 0.1, criticalPercent: 100 } });
    expect(f?.severity).toBe('warning');
    expect(f?.evidence).toMatchObject({ maxConnections: c.maxConnections, usable, connections: c.total });
    expect(Number(f?.evidence.connections)).toBeGreaterThanOrEqual(4);
    expect(f?.title).toMatch(new RegExp(`^\\d+ of ${usable} usable connections in use`));
    expect(f?.nextSteps?.join(' ')).toMatch(/pgbouncer/);
    const critical = await runAnalyzer(connectionUsage, { snapshot, options: { warnPercent: 0.1, criticalPercent: 0.2 } });
    expect(critical[0]?.severity).toBe('critical');
  });

  it('is informational below the thresholds', async () => {
    const [f] = await runAnalyzer(connectionUsage, { snapshot: await snapshotOf(t), options: { warnPercent: 100, criticalPercent: 100 } });
    expect(f?.severity).toBe('info');
    expect(f?.impact.score).toBe(0);
  });
});
