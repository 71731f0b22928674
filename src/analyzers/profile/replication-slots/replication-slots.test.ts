import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type pg from 'pg';
import { replicationSlots } from './index.ts';

let t: TestDatabase;
let holder: pg.Client;
const slot = `dbo_test_${process.pid}_${Date.now() % 100000}`;
beforeAll(async () => {
  t = await createTestDatabase('replication_slots');
  holder = await t.client();
  // a temporary slot lives only as long as this session: nothing is left behind on a shared server
  await holder.query('SELECT pg_create_physical_replication_slot($1, true, true)', [slot]);
  await t.exec('CREATE TABLE wal_maker AS SELECT g, md5(g::text) FROM generate_series(1, 20000) g');
});
afterAll(async () => {
  await holder.end();
  await t.drop();
});

describe('replication-slots', () => {
  it('reports a slot retaining WAL above the threshold, with the drop statement printed, never run', async () => {
    const findings = await runAnalyzer(replicationSlots, { snapshot: await snapshotOf(t), options: { maxRetainedBytes: 1 } });
    const f = findings.find((x) => x.target.name === slot);
    expect(f?.evidence).toMatchObject({ slot, slotType: 'physical', active: true });
    expect(Number(f?.evidence.retainedBytes)).toBeGreaterThan(0);
    expect(f?.severity).toBe('warning');
    expect(f?.fix?.content).toContain(`SELECT pg_drop_replication_slot('${slot}');`);
    expect((await t.exec('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot])).rowCount).toBe(1);
  });

  it('does not report an active slot retaining little WAL', async () => {
    const findings = await runAnalyzer(replicationSlots, { snapshot: await snapshotOf(t) });
    expect(findings.some((x) => x.target.name === slot)).toBe(false);
  });
});
