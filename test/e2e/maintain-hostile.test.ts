import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/*
 * Every job maintain writes is run as pg_cron or psql would run it, on tables whose names are
 * hostile: each must touch exactly its own object (the victims table survives).
 */
const INJECT = 'semi;colon; DROP TABLE victims; --';
const NEWLINE = 'ev\nDROP TABLE victims; --';
const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase('maintain_hostile');
  dir = mkdtempSync(join(tmpdir(), 'dbo-maintain-hostile-'));
  await t.exec(`
    CREATE TABLE victims (id int PRIMARY KEY);
    INSERT INTO victims VALUES (1);
    CREATE SCHEMA "My Schema";
    CREATE TABLE "My Schema".${q(INJECT)} (id bigserial PRIMARY KEY, ${q("it's created")} timestamptz NOT NULL, msg text);
    INSERT INTO "My Schema".${q(INJECT)} (${q("it's created")}, msg) SELECT now() - g * interval '1 hour', 'm' FROM generate_series(1, 3000) g;
    CREATE TABLE ${q(NEWLINE)} (id bigint, "at'" date NOT NULL) PARTITION BY RANGE ("at'");
    DO $$ DECLARE m date; BEGIN FOR i IN -3..0 LOOP m := date_trunc('month', now()) + make_interval(months => i);
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', 'p' || to_char(m, 'YYYYMM'), ${`'${NEWLINE.replace(/'/g, "''")}'`}, m, (m + interval '1 month')::date); END LOOP; END $$;
    ANALYZE;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('maintain with hostile names', () => {
  it('every job file runs and maintains only its own object', async () => {
    const r = await runCli([
      'maintain', '--db', t.url, '--out-dir', dir, '--append-only-min-rows', '100',
      '--retain', `"My Schema".${q(INJECT)}=30`, '--retain', `${q(NEWLINE)}=45`, '--format', 'json',
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { maintenance: { jobs: { name: string; sql: string }[]; crontab: string } };
    const kinds = report.maintenance.jobs.map((j) => j.name.split(':')[2]);
    expect(kinds).toEqual(expect.arrayContaining(['vacuum-analyze', 'archive', 'partitions', 'partition-retention', 'size-history']));
    // a crontab line per job, each on one line: the names' newlines never split a command
    for (const line of readFileSync(join(dir, 'crontab'), 'utf8').split('\n')) expect(line === '' || /^(#|CRON_TZ=|\S+ \S+ \S+ \S+ \S+ psql )/.test(line)).toBe(true);
    const files = readdirSync(join(dir, 'jobs'));
    expect(files.length).toBe(report.maintenance.jobs.length);
    const c = await t.client();
    try {
      for (const f of files) await c.query(readFileSync(join(dir, 'jobs', f), 'utf8'));
    } finally {
      await c.end();
    }
    expect((await t.exec('SELECT count(*)::int AS n FROM victims')).rows[0].n).toBe(1);
    const archived = await t.exec(`SELECT count(*)::int AS n FROM "My Schema".${q(`${INJECT}_archive`)}`);
    expect(archived.rows[0].n).toBeGreaterThan(0);
    const left = await t.exec(`SELECT count(*)::int AS n FROM "My Schema".${q(INJECT)} WHERE ${q("it's created")} < now() - interval '30 days'`);
    expect(left.rows[0].n).toBe(0);
    const parts = (await t.exec(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`, [q(NEWLINE)])).rows.map((x) => x.relname as string);
    expect(parts.some((p) => p.endsWith(`_p${new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 2, 1)).toISOString().slice(0, 7).replace('-', '')}`))).toBe(true);
    // the partition that ended more than 45 days ago is gone, the current one stays
    const oldest = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 3, 1)).toISOString().slice(0, 7).replace('-', '');
    expect(parts).not.toContain(`p${oldest}`);
    expect(parts.length).toBeGreaterThan(3);
  });
});
