import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';
import { collectSnapshot } from './collect-snapshot.ts';
import { statsWindow } from './stats-window.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW.getTime() - seconds * 1000).toISOString();
const DAY = 86_400;

describe('how long the table counters have been accumulating', () => {
  it('after a clean restart with stats_reset null: since the statistics were last discarded, not since the restart', () => {
    const w = statsWindow({ now: NOW, statsReset: null, startedAt: ago(300), statsDiscardedAt: ago(90 * DAY), databaseCreatedAt: null, maintenanceTimes: [ago(2 * DAY)] });
    expect(w).toEqual({ seconds: 90 * DAY, basis: 'stats_discarded' });
  });

  it('a database younger than the cluster statistics: since its creation', () => {
    const w = statsWindow({ now: NOW, statsReset: null, startedAt: ago(300), statsDiscardedAt: ago(90 * DAY), databaseCreatedAt: ago(3 * DAY), maintenanceTimes: [] });
    expect(w).toEqual({ seconds: 3 * DAY, basis: 'database_created' });
  });

  it('pg_stat_database.stats_reset, when set, is the window', () => {
    const w = statsWindow({ now: NOW, statsReset: ago(600), startedAt: ago(30 * DAY), statsDiscardedAt: ago(90 * DAY), databaseCreatedAt: null, maintenanceTimes: [ago(40 * DAY)] });
    expect(w).toEqual({ seconds: 600, basis: 'stats_reset' });
  });

  it('without those, a vacuum before the restart shows the counters outlived it (a lower bound); else the start is', () => {
    expect(statsWindow({ now: NOW, statsReset: null, startedAt: ago(300), statsDiscardedAt: null, databaseCreatedAt: null, maintenanceTimes: [ago(5 * DAY)] })).toEqual({
      seconds: 5 * DAY,
      basis: 'maintenance',
    });
    expect(statsWindow({ now: NOW, statsReset: null, startedAt: ago(300), statsDiscardedAt: null, databaseCreatedAt: null, maintenanceTimes: [ago(60)] })).toEqual({
      seconds: 300,
      basis: 'server_start',
    });
  });

  it('cluster statistics reset by hand after a vacuum are not the counters’ start (negative)', () => {
    const w = statsWindow({ now: NOW, statsReset: null, startedAt: ago(300), statsDiscardedAt: ago(DAY), databaseCreatedAt: null, maintenanceTimes: [ago(20 * DAY)] });
    expect(w.basis).toBe('maintenance');
    expect(w.seconds).toBe(20 * DAY);
  });
});

describe('on a real server', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('stats_window');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('a database created just now (stats_reset null) is not given the server’s uptime', async () => {
    const snapshot = await collectSnapshot(await t.open());
    expect(snapshot.server.statsResetAt).toBeNull();
    expect(['database_created', 'stats_discarded']).toContain(snapshot.server.statsAgeBasis);
    if (snapshot.server.statsAgeBasis === 'database_created') expect(snapshot.server.statsAgeSeconds).toBeLessThan(snapshot.server.uptimeSeconds + 1);
  });
});
