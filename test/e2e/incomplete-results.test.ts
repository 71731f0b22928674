import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/** A run that could not read what it needed says so in `skipped` and does not exit 0. */
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('incomplete');
  await t.exec(`CREATE TABLE locked (id int, v text); INSERT INTO locked SELECT g, 'x' FROM generate_series(1, 100) g;
    CREATE SCHEMA "My Schema";
    CREATE TABLE "My Schema"."Order Items" (id int PRIMARY KEY, "Item ID" int);
    INSERT INTO "My Schema"."Order Items" SELECT g, g % 5000 FROM generate_series(1, 50000) g;
    ANALYZE;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-incomplete-'));
});
afterAll(async () => {
  await t.drop();
});

describe('no silent false-clean results', () => {
  it('a table under ACCESS EXCLUSIVE: the unread catalog parts are in skipped, and the exit is not 0', async () => {
    const holder = await t.client();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
      const r = await runCli(['schema', '--db', t.url, '--fail-on', 'info', '--format', 'json', '--lock-timeout', '200']);
      expect(r.code, r.stderr).toBe(3);
      const report = JSON.parse(r.stdout) as { skipped: { analyzer: string; reason: string }[] };
      const collect = report.skipped.filter((s) => s.analyzer.startsWith('collect:'));
      expect(collect.length).toBeGreaterThan(0);
      expect(collect.every((s) => /lock timeout/.test(s.reason))).toBe(true);
      expect(r.stderr).toMatch(/the report is incomplete/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const after = await runCli(['schema', '--db', t.url, '--format', 'json']);
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as { skipped: { analyzer: string }[] }).skipped.some((s) => s.analyzer.startsWith('collect:'))).toBe(false);
  });

  it('indexes --create --yes on a non-public schema builds the index and keeps it', async () => {
    const workload = join(dir, 'workload.sql');
    writeFileSync(workload, '-- calls: 10000000\nSELECT * FROM "My Schema"."Order Items" WHERE "Item ID" = 42;\n');
    const r = await runCli(['indexes', '--db', t.url, '--workload', workload, '--create', '--yes', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const created = (JSON.parse(r.stdout) as { created: { name: string; ok: boolean }[] }).created;
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((c) => c.ok)).toBe(true);
    const idx = await t.exec(`SELECT indexrelid::regclass::text AS name, indisvalid FROM pg_index WHERE indrelid = '"My Schema"."Order Items"'::regclass AND NOT indisprimary`);
    expect(idx.rows).toEqual(created.map((c) => ({ name: `"My Schema".${c.name}`, indisvalid: true })));
  });

  it('indexes as a CONNECT-only role warns that it could not plan, and does not exit 0', async () => {
    const role = `dbo_connect_only_${process.pid}`;
    await t.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'connect-only-pw'; GRANT CONNECT ON DATABASE ${t.name} TO ${role}`);
    try {
      const u = new URL(t.url);
      u.username = role;
      u.password = 'connect-only-pw';
      const workload = join(dir, 'connect-only.sql');
      writeFileSync(workload, '-- calls: 1000\nSELECT * FROM "My Schema"."Order Items" WHERE "Item ID" = 42;\n');
      const r = await runCli(['indexes', '--db', u.toString(), '--workload', workload, '--format', 'json']);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/could not be planned \(.*permission denied/);
      expect(r.stderr).not.toContain('connect-only-pw');
    } finally {
      await t.exec(`REVOKE CONNECT ON DATABASE ${t.name} FROM ${role}; DROP ROLE ${role}`);
    }
  });
});
