import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.ts';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';

interface AdvisorJson {
  indexes: { name: string; definition: string; table: string; writeOverhead: { entriesPerDay: number } }[];
  created?: { name: string; ok: boolean; error?: string }[];
  findings: { rule: string; fix?: { rollback?: string } }[];
  proposals: { definition: string; table: string; writeOverhead: { entriesPerDay: number } }[];
  decisions: { statement: string; weight: number }[];
  advisor: { writeModel: { tables: { table: string; source: string; reason: string; statsPerDay: number; workloadPerDay: number }[] } };
}

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('write_charging');
  await t.exec(`
    CREATE TABLE jobs (id bigint PRIMARY KEY, grp int NOT NULL, state int NOT NULL, payload text);
    INSERT INTO jobs SELECT g, g % 50, 0, 'p' || g FROM generate_series(1, 50000) g;
    CREATE TABLE events (id bigint NOT NULL, user_id int NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at);
    CREATE TABLE events_2024_01 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
    CREATE TABLE events_2024_02 PARTITION OF events FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
    INSERT INTO events SELECT g, g % 5000, timestamptz '2024-01-01' + g * interval '30 seconds' FROM generate_series(1, 150000) g;
    UPDATE events SET user_id = user_id + 1 WHERE id % 10 = 0;
    ANALYZE;`);
  if (t.extensions.has('pg_stat_statements')) {
    // a recurring batch update: 1,000 rows per call, 12 calls (fewer would read as a one-off backfill)
    for (let i = 0; i < 12; i++) await t.exec('UPDATE jobs SET state = state + 1 WHERE grp = $1', [i]);
    for (let i = 0; i < 30; i++) await t.exec('SELECT id FROM events WHERE user_id = $1', [i]);
  }
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('write charging', () => {
  it('charges a workload UPDATE per row it changes (pg_stat_statements rows), not per call', async (ctx) => {
    if (!t.extensions.has('pg_stat_statements')) ctx.skip('pg_stat_statements is not preloaded on this server');
    const r = await runCli(['indexes', '--db', t.url, '--format', 'json', '--writes', 'workload']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as AdvisorJson;
    const update = json.decisions.find((d) => /UPDATE jobs SET state/.test(d.statement));
    expect(update).toBeDefined();
    const jobs = json.advisor.writeModel.tables.find((x) => x.table === 'public.jobs');
    expect(jobs?.workloadPerDay).toBeGreaterThan(0);
    expect((jobs?.workloadPerDay ?? 0) / (update?.weight ?? 1)).toBeCloseTo(1000, -1);
  });

  it('charges an index on a partitioned parent with its partitions’ writes', async () => {
    const r = await runCli(['indexes', '--db', t.url, '--format', 'json', '--writes', 'stats', '--statement', 'SELECT id FROM events WHERE user_id = $1', '--calls', '100000']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as AdvisorJson;
    const parent = json.advisor.writeModel.tables.find((x) => x.table === 'public.events');
    expect(parent?.reason).toMatch(/partitioned: an index on it is written through its 2 partition\(s\)/);
    const partitions = json.advisor.writeModel.tables.filter((x) => /events_2024/.test(x.table));
    expect(partitions).toHaveLength(2);
    expect(parent?.statsPerDay).toBeCloseTo(partitions.reduce((a, p) => a + p.statsPerDay, 0), -1);
    const onParent = [...json.indexes, ...json.proposals].find((i) => i.table === 'public.events' && /\(user_id\)/.test(i.definition));
    expect(onParent?.writeOverhead.entriesPerDay).toBeGreaterThan(0);
  });

  it('advises a partitioned table at the parent: ON ONLY, CONCURRENTLY per partition, ATTACH; and it applies under writes', async () => {
    const args = ['indexes', '--db', t.url, '--format', 'json', '--statement', 'SELECT id FROM events WHERE user_id = $1', '--calls', '1000000'];
    const json = JSON.parse((await runCli(args)).stdout) as AdvisorJson;
    const rec = json.indexes.find((i) => i.table === 'public.events');
    expect(rec).toBeDefined();
    const ddl = rec?.definition ?? '';
    expect(ddl).toMatch(new RegExp(`^CREATE INDEX IF NOT EXISTS ${rec?.name} ON ONLY public\\.events USING btree \\(user_id\\);`));
    expect(ddl).toMatch(/CREATE INDEX CONCURRENTLY IF NOT EXISTS \w+ ON public\.events_2024_01 USING btree \(user_id\);/);
    expect(ddl).toMatch(/ALTER INDEX public\.\w+ ATTACH PARTITION public\.\w+;\n[^]*ALTER INDEX public\.\w+ ATTACH PARTITION public\.\w+;$/);
    expect(json.indexes.some((i) => /events_2024/.test(i.table))).toBe(false);
    // not CONCURRENTLY (a partitioned index cannot be dropped so) and schema-qualified (never a twin in another schema)
    expect(json.findings.find((f) => f.rule === 'index-advisor')?.fix?.rollback).toBe(`DROP INDEX IF EXISTS public.${rec?.name};`);

    // apply it with --create while another session keeps inserting into the parent
    const writer = await t.client();
    let writing = true;
    let written = 0;
    const load = (async () => {
      while (writing) {
        await writer.query(`INSERT INTO events VALUES ($1, 7, timestamptz '2024-02-10')`, [1_000_000 + written]);
        written++;
      }
    })();
    const applied = JSON.parse((await runCli([...args, '--create', '--yes'])).stdout) as AdvisorJson;
    writing = false;
    await load;
    await writer.end();
    expect(applied.created?.[0]).toMatchObject({ name: rec?.name, ok: true });
    expect(written).toBeGreaterThan(0);
    const valid = await t.exec(`SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`, [rec?.name]);
    expect(valid.rows[0]?.indisvalid).toBe(true);
    const again = JSON.parse((await runCli(args)).stdout) as AdvisorJson;
    expect(again.indexes.some((i) => i.table === 'public.events' && /\(user_id\)/.test(i.definition))).toBe(false);
  });
});
