import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, DbOptimizeError, migrateLint, pool, profile, rewrite, schema } from '../../src/index.ts';
import type { Report } from '../../src/index.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/** The report as the JSON renderer writes it (what the schema describes). */
function asJson(report: Report): unknown {
  return JSON.parse(JSON.stringify(report));
}

// The library entry points are the commands' own pipelines: same options (camelCase), same Report.
describe('library: import { profile, schema, … } from "db-optimize"', () => {
  let t: TestDatabase;
  const env = { ...process.env, DATABASE_URL: undefined };
  beforeAll(async () => {
    t = await createTestDatabase('library');
    await t.exec(`CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL);
      CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), status varchar(20), total numeric);
      INSERT INTO customers (email) SELECT 'c' || g || '@example.com' FROM generate_series(1, 200) g;
      INSERT INTO orders (customer_id, status, total) SELECT 1 + g % 200, 'new', g FROM generate_series(1, 2000) g;
      ANALYZE;`);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('profile() and schema() return schema-valid reports of the live database', async () => {
    const p = await profile({ db: t.url }, { env });
    expect(p.command).toBe('profile');
    expect(p.database.name).toBe(t.name);
    expect(reportSchemaErrors(asJson(p))).toEqual([]);
    const s = await schema({ db: t.url, sampleRows: 1000 }, { env });
    expect(s.command).toBe('schema');
    expect(reportSchemaErrors(asJson(s))).toEqual([]);
    // the unindexed foreign key orders.customer_id is a catalog fact the profile reports
    expect(p.findings.find((f) => f.rule === 'fk-without-index')?.target.relation).toBe('public.orders');
  });

  it('gives the same findings as the CLI for the same options', async () => {
    const lib = await config({ ram: '16GB', cpus: 4, storage: 'ssd', pgVersion: 16 }, { env });
    const cli = await runCli(['config', '--ram', '16GB', '--cpus', '4', '--storage', 'ssd', '--pg-version', '16', '--format', 'json']);
    expect(cli.code).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as Report;
    expect(lib.findings.map((f) => [f.rule, f.title])).toEqual(fromCli.findings.map((f) => [f.rule, f.title]));
    expect(reportSchemaErrors(asJson(lib))).toEqual([]);
    const fleet = await pool({ appInstances: 10, cpus: 8, poolSize: 20, maxOverflow: 10, maxConnections: 100 }, { env });
    expect(fleet.findings.find((f) => f.rule === 'pool-sizing/fleet-vs-server')?.severity).toBe('critical');
  });

  it('names positional arguments (files, statement) and lints migrations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbo-library-'));
    const file = join(dir, '001_add.sql');
    writeFileSync(file, 'CREATE INDEX orders_status ON orders (status);\n');
    const lint = await migrateLint({ files: [file], pgVersion: 15 }, { env });
    expect(lint.findings.map((f) => f.rule)).toContain('require-concurrent-index-creation');
    expect(reportSchemaErrors(asJson(lint))).toEqual([]);
    const r = await rewrite({ statement: 'SELECT * FROM orders WHERE id IN (SELECT customer_id FROM orders)' }, { env });
    expect(r.command).toBe('rewrite');
    expect(reportSchemaErrors(asJson(r))).toEqual([]);
  });

  it('rejects an unknown option by name, like an unknown key in a --config file', async () => {
    await expect(pool({ appInstances: 2, cpus: 2, poolSzie: 5 } as never, { env })).rejects.toThrow(/unknown key "poolSzie" for pool/);
    await expect(pool({ appInstances: 2, cpus: 2, poolSzie: 5 } as never, { env })).rejects.toBeInstanceOf(DbOptimizeError);
    const dir = mkdtempSync(join(tmpdir(), 'dbo-library-'));
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ ram: '8GB', cpu: 4 }));
    const cli = await runCli(['config', '--config', cfg]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/config file: unknown key "cpu" for config/);
  });
});
