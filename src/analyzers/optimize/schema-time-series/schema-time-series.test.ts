import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { heapBytesPerRow, parseRetention, timeSeriesDesign } from '../../../schema-review/timeseries-design.ts';
import { schemaTimeSeries } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('time_series');
  await t.exec(`CREATE TABLE readings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sensor_id int NOT NULL, recorded_at timestamptz NOT NULL, value float8);
    INSERT INTO readings (sensor_id, recorded_at, value) SELECT g % 50, timestamptz '2025-01-01' + g * interval '1 minute', g FROM generate_series(1, 30000) g;
    CREATE TABLE shuffled (id bigint PRIMARY KEY, at timestamptz NOT NULL);
    INSERT INTO shuffled SELECT g, timestamptz '2025-01-01' + ((g * 7919) % 30000) * interval '1 minute' FROM generate_series(1, 30000) g;
    ANALYZE;`);
});
afterAll(async () => t?.drop());

describe('schema-time-series', () => {
  it('finds an append-only table ordered by time, not one whose time column is shuffled', async () => {
    const f = await analyzeFixture(t, schemaTimeSeries, { options: { minRows: 10_000 } });
    expect(f.map((x) => x.target.relation)).toEqual(['public.readings']);
    expect(f[0]?.target.column).toBe('recorded_at');
    expect(f[0]?.fix?.content).toMatch(/PARTITION BY RANGE \(recorded_at\)/);
  });

  it('its fix builds nothing on the live table and the new table accepts the existing rows', async () => {
    const [finding] = await analyzeFixture(t, schemaTimeSeries, { options: { minRows: 10_000 } });
    const indexesBefore = (await t.exec(`SELECT count(*) AS n FROM pg_index WHERE indrelid = 'readings'::regclass`)).rows[0];
    await t.exec(finding?.fix?.content ?? '');
    expect((await t.exec(`SELECT count(*) AS n FROM pg_index WHERE indrelid = 'readings'::regclass`)).rows[0]).toEqual(indexesBefore);
    await t.exec(`INSERT INTO readings_partitioned SELECT * FROM readings`);
    expect((await t.exec(`SELECT count(*)::int AS n FROM readings_partitioned`)).rows[0]).toEqual({ n: 30000 });
  });

  it('computes the seed sensor estimate from the on-disk row layout', () => {
    expect(parseRetention('2y')).toBe(730);
    expect(parseRetention('soon')).toBeNull();
    // 24-byte header + 24 bytes data + 4-byte line pointer = 52 → 157 rows per 8 kB page
    expect(heapBytesPerRow(24)).toBeCloseTo(8192 / 157, 5);
    const d = timeSeriesDesign({ table: 'sensor_readings', timeColumn: 'recorded_at', seriesColumn: 'sensor_id', rowsPerMinute: 10_000, retentionDays: 730, startDate: '2026-01-01' });
    expect(d.estimate.totalRows).toBe(10_512_000_000);
    expect(d.interval).toBe('day');
    expect(d.engine.choice).toBe('timescaledb');
    const small = timeSeriesDesign({ table: 's', timeColumn: 't', seriesColumn: 'k', rowsPerMinute: 10, retentionDays: 365, startDate: '2026-01-01' });
    expect(small.engine.choice).toBe('postgresql-partitioning');
    expect(small.interval).toBe('month');
  });
});
