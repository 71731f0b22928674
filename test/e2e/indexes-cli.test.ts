import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_SEED_SQL, ORDERS_WORKLOAD_SQL } from '../fixtures/orders-seed.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

interface StatementJson {
  fingerprint: string;
  costBefore: number;
  costAfter: number | null;
  weight: number;
}
interface IndexJson {
  name: string;
  definition: string;
  table: string;
  kind: string;
  sizeBytes: number;
  verified: boolean;
  verification: string;
  statements: StatementJson[];
  reason?: string;
}
interface AdvisorReport {
  indexes: IndexJson[];
  proposals: IndexJson[];
  drops: { index: string; definition: string; rollback: string; method: string; verified: boolean }[];
  decisions: { fingerprint: string; statement: string; decision: string; reason: string }[];
  skippedStatements: { statement: string; reason: string }[];
  workload: { costBefore: number; costAfter: number | null };
  advisor: { evaluation: string; note: string; whatIfCalls: number };
  findings: { rule: string; title: string; impact: { summary: string }; fix?: { verified: boolean } }[];
  validation?: { method: string; statements: { fingerprint: string; beforeMs: number | null; afterMs: number | null }[] };
  created?: { name: string; ok: boolean }[];
}

let t: TestDatabase;
let dir: string;
let workloadFile: string;
let hasHypopg: boolean;

beforeAll(async () => {
  t = await createTestDatabase('indexes_cli');
  await t.exec(ORDERS_SEED_SQL);
  dir = mkdtempSync(join(tmpdir(), 'dbo-indexes-'));
  workloadFile = join(dir, 'workload.sql');
  writeFileSync(workloadFile, ORDERS_WORKLOAD_SQL);
  hasHypopg = t.extensions.has('hypopg');
  if (!hasHypopg && process.env.DB_OPTIMIZE_REQUIRE_HYPOPG === '1') throw new Error('DB_OPTIMIZE_REQUIRE_HYPOPG=1 but HypoPG could not be created in the test database');
});
afterAll(async () => {
  await t.drop();
});

async function orderIndexes(): Promise<string[]> {
  const r = await t.exec(`SELECT indexname FROM pg_indexes WHERE tablename = 'orders' ORDER BY 1`);
  return r.rows.map((x: { indexname: string }) => x.indexname);
}

describe('db-optimize indexes: the seed scenario', () => {
  let report: AdvisorReport;
  let migration: string;

  beforeAll(async () => {
    const out = join(dir, 'migration.sql');
    const r = await runCli(['indexes', '--db', t.url, '--workload', workloadFile, '--format', 'json', '--migration-out', out]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    report = JSON.parse(r.stdout) as AdvisorReport;
    migration = readFileSync(out, 'utf8');
  });

  it('validates against the published schema', () => {
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it('recommends (user_id, created_at DESC) and drops INDEX(user_id) with its CREATE as rollback', () => {
    const composite = report.indexes.find((i) => /\(user_id, created_at DESC\)/.test(i.definition));
    expect(composite, JSON.stringify(report.indexes.map((i) => i.definition))).toBeDefined();
    expect(composite?.definition).toMatch(/^CREATE INDEX CONCURRENTLY /);
    expect(composite?.statements[0]?.costAfter).toBeLessThan(composite?.statements[0]?.costBefore ?? 0);
    expect(composite?.statements[0]?.weight).toBe(86_400_000);
    const drop = report.drops.find((d) => d.index === 'public.orders_user_id_idx');
    expect(drop).toBeDefined();
    expect(drop?.rollback).toMatch(/^CREATE INDEX CONCURRENTLY orders_user_id_idx ON public\.orders USING btree \(user_id\)/);
  });

  it('proposes a partial index for pending orders', () => {
    const partial = report.indexes.find((i) => i.kind === 'partial');
    expect(partial?.definition).toMatch(/WHERE status = 'pending'/);
    expect(partial?.sizeBytes).toBeLessThan(200_000);
    expect(partial?.statements[0]?.costAfter).toBeLessThan((partial?.statements[0]?.costBefore ?? 0) / 10);
  });

  it('decides on the range query and says why', () => {
    const range = report.decisions.find((d) => /BETWEEN/.test(d.statement));
    expect(range).toBeDefined();
    expect(range?.reason.length).toBeGreaterThan(10);
    const servedBy = [...report.indexes, ...report.proposals].filter((i) => i.statements.some((s) => s.fingerprint === range?.fingerprint));
    if (range?.decision === 'no-index') expect(servedBy).toEqual([]);
    else expect(servedBy.length).toBeGreaterThan(0);
  });

  it('proposes a full-text index for the address search, with its impact', () => {
    const fts = [...report.indexes, ...report.proposals].find((i) => i.kind === 'gin-fts');
    expect(fts?.definition).toMatch(/USING gin \(\(to_tsvector\('english', shipping_address\)\)\)/);
    const s = fts?.statements[0];
    expect(s?.costBefore).toBeGreaterThan(0);
    // measured on a rolled-back build (small table) or honestly unverified
    if (s?.costAfter === null) expect(fts?.verified).toBe(false);
    else expect(s?.costAfter).toBeLessThan(s?.costBefore ?? 0);
    const finding = report.findings.find((f) => f.title.includes(fts?.name ?? '?'));
    expect(finding?.impact.summary).toMatch(/cost units\/day/);
  });

  it('is verified with HypoPG, or without it by a real build in a rolled-back transaction, with what the build cost', () => {
    if (hasHypopg) {
      expect(report.advisor.evaluation).toBe('hypopg');
      expect(report.indexes.find((i) => i.kind === 'widening' || i.kind === 'btree')?.verified).toBe(true);
    } else {
      expect(report.advisor.note).toMatch(/HypoPG is not installed.*CREATE EXTENSION hypopg.*real index builds inside rolled-back transactions/);
      expect(report.indexes.some((i) => i.verified)).toBe(true);
      for (const i of report.indexes) {
        if (i.verified) expect(i.verification).toMatch(/^verified \(real build in a rolled-back transaction\): built in [\d.]+ ms .*SHARE lock on public\.\w+ .*lock_timeout \d+ ms/);
        else expect(i.verification).toMatch(/^not measured/);
      }
    }
    expect(report.workload.costAfter).toBeLessThan(report.workload.costBefore);
    expect(report.advisor.whatIfCalls).toBeGreaterThan(0);
  });

  it('writes a migration that builds concurrently outside a transaction, with a rollback section', () => {
    expect(migration).toMatch(/SET lock_timeout = '5s';/);
    expect(migration).toMatch(/CREATE INDEX CONCURRENTLY IF NOT EXISTS \S+ ON public\.orders USING btree \(user_id, created_at DESC\);/);
    expect(migration).toMatch(/DROP INDEX CONCURRENTLY public\.orders_user_id_idx;/);
    expect(migration).toMatch(/-- ROLLBACK[^\n]*\n-- CREATE INDEX CONCURRENTLY orders_user_id_idx/);
    expect(migration).not.toMatch(/^BEGIN/m);
  });

  it('created no index and left no hypothetical index behind', async () => {
    expect(await orderIndexes()).toEqual(['orders_pkey', 'orders_user_id_idx']);
    if (hasHypopg) {
      const c = await t.client();
      try {
        expect((await c.query('SELECT count(*)::int AS n FROM hypopg_list_indexes')).rows[0]).toEqual({ n: 0 });
      } finally {
        await c.end();
      }
    }
  });
});

describe('db-optimize indexes: inputs and bad input', () => {
  it('explains why the unpaginated user query gets no new index', async () => {
    const r = await runCli(['indexes', '--db', t.url, '--statement', 'SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AdvisorReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    const d = report.decisions[0];
    expect(d).toBeDefined();
    if (d?.decision === 'no-index') expect(d.reason).toMatch(/orders_user_id_idx|planner does not use|improves no statement/);
    else expect(report.indexes.length + report.proposals.length).toBeGreaterThan(0);
  });

  it('lists unparseable, unknown-table and unplannable statements with the reason and skips them', async () => {
    const r = await runCli([
      'indexes', '--db', t.url, '--format', 'json',
      '--statement', 'SELEC * FROM orders',
      '--statement', 'SELECT * FROM no_such_table WHERE id = 1',
      '--statement', 'SELECT no_such_column FROM orders WHERE status = $1',
      '--statement', "SELECT * FROM orders WHERE status = 'pending'",
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AdvisorReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    const reasons = report.skippedStatements.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/does not parse/);
    expect(reasons).toMatch(/unknown table no_such_table/);
    expect(reasons).toMatch(/cannot be planned: column "no_such_column" does not exist/);
    // the rest is advised; a lone literal is no evidence of a fixed constant, so the column is indexed, not fitted as a partial predicate
    expect(report.indexes.some((i) => /orders USING btree \(status\)/.test(i.definition))).toBe(true);
  });

  it('prints a terminal report with the advisor section', async () => {
    const r = await runCli(['indexes', '--db', t.url, '--statement', "SELECT * FROM orders WHERE status = 'pending'"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Index advisor/);
    expect(r.stdout).toMatch(/CREATE INDEX CONCURRENTLY/);
  });

  it('rejects bad flags with exit 2 and a bad connection with exit 3', async () => {
    expect((await runCli(['indexes', '--db', t.url, '--budget-mb', 'lots'])).code).toBe(2);
    expect((await runCli(['indexes', '--db', t.url, '--yes'])).code).toBe(2);
    expect((await runCli(['indexes', '--db', t.url, '--workload', join(dir, 'missing.sql')])).code).toBe(2);
    const c = await runCli(['--indexes', '--db', 'postgresql://postgres@127.0.0.1:1/nope', '--statement', 'SELECT 1']);
    expect(c.code).toBe(3);
    expect(c.stderr).not.toMatch(/\n\s+at /);
  });

  it('respects --max-indexes 0: recommends nothing and says why', async () => {
    const r = await runCli(['indexes', '--db', t.url, '--workload', workloadFile, '--max-indexes', '0', '--format', 'json']);
    const report = JSON.parse(r.stdout) as AdvisorReport;
    expect(report.indexes).toEqual([]);
    expect(report.proposals.length).toBeGreaterThan(0);
  });
});

describe('db-optimize indexes --validate --create', () => {
  it('measures the statements before and after, and creates the indexes concurrently only when told', async () => {
    const declined = await runCli(['indexes', '--db', t.url, '--statement', "SELECT * FROM orders WHERE status = 'pending' AND created_at < '2024-06-01'", '--create', '--format', 'json'], { stdin: 'n\n' });
    expect(declined.code).toBe(0);
    expect(await orderIndexes()).toEqual(['orders_pkey', 'orders_user_id_idx']);

    const r = await runCli([
      'indexes', '--db', t.url, '--format', 'json', '--validate', '--create', '--yes',
      '--statement', "SELECT * FROM orders WHERE status = 'pending' AND created_at < '2024-06-01'",
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AdvisorReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.created?.[0]?.ok).toBe(true);
    const v = report.validation?.statements[0];
    expect(report.validation?.method).toBe('after --create');
    expect(v?.beforeMs).toBeGreaterThan(0);
    expect(v?.afterMs).toBeLessThan(v?.beforeMs ?? 0);
    const names = await orderIndexes();
    expect(names).toContain(report.created?.[0]?.name);
    const valid = await t.exec(`SELECT bool_and(indisvalid) AS ok FROM pg_index WHERE indrelid = 'orders'::regclass`);
    expect(valid.rows[0]).toEqual({ ok: true });
  });
});
