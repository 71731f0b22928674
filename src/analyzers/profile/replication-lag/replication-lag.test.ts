import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type { ReplicationSender, Snapshot } from '../../../model/index.ts';
import { replicationLag } from './index.ts';

let t: TestDatabase;
let snapshot: Snapshot;
beforeAll(async () => {
  t = await createTestDatabase('replication_lag');
  snapshot = await snapshotOf(t);
});
afterAll(async () => {
  await t.drop();
});

// A streaming standby cannot be started inside a test run, so the positive case adds a
// pg_stat_replication row (the shape collectSnapshot reads) to a real snapshot.
const withSender = (s: Snapshot, sender: ReplicationSender): Snapshot => ({
  ...s,
  replication: { senders: [sender], slots: s.replication?.slots ?? [] },
});
const sender: ReplicationSender = {
  pid: 4242,
  applicationName: 'replica-1',
  clientAddr: '10.0.0.2',
  state: 'streaming',
  syncState: 'async',
  lagBytes: 3 * 1024 ** 3,
  writeLagSeconds: 40,
  flushLagSeconds: 41,
  replayLagSeconds: 45,
};

describe('replication-lag', () => {
  it('reports a standby behind in time and bytes', async () => {
    const [f] = await runAnalyzer(replicationLag, { snapshot: withSender(snapshot, sender) });
    expect(f?.title).toBe('Standby replica-1 is 45.0 s / 3.0 GB behind (streaming)');
    expect(f?.evidence).toMatchObject({ replayLagSeconds: 45, lagBytes: 3 * 1024 ** 3, syncState: 'async' });
    expect(f?.severity).toBe('warning');
  });

  it('reports nothing for this server without lagging standbys, or a standby within the limits', async () => {
    expect((await runAnalyzer(replicationLag, { snapshot })).filter((f) => f.target.name === 'replica-1')).toEqual([]);
    const close = { ...sender, lagBytes: 1024, replayLagSeconds: 0.2 };
    expect(await runAnalyzer(replicationLag, { snapshot: withSender(snapshot, close) })).toEqual([]);
  });
});
