import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf, statement, workloadOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { seqScanHeavyTables } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('seq_scan_heavy');
  await t.exec(`
    CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL, name text);
    CREATE TABLE users (id int PRIMARY KEY, name text);
    INSERT INTO products SELECT g, g % 500, 'p' || g FROM generate_series(1, 20000) g;
    INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 20000) g;
    ANALYZE;`);
  for (let i = 0; i < 10; i++) await t.exec('SELECT * FROM products WHERE category_id = $1', [i]);
  for (let i = 0; i < 30; i++) await t.exec('SELECT * FROM users WHERE id = $1', [i + 1]);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

const workload = () =>
  workloadOf([statement('SELECT * FROM products WHERE category_id = $1', 10, 3), statement('SELECT * FROM users WHERE id = $1', 30, 0.05)]);

describe('seq-scan-heavy-tables', () => {
  it('flags the large table read by sequential scans and names the statements that touch it', async () => {
    const findings = await runAnalyzer(seqScanHeavyTables, { snapshot: await snapshotOf(t), workload: workload(), options: { minSeqTupRead: 100_000 } });
    expect(findings.map((f) => f.target.relation)).toEqual(['public.products']);
    const e = findings[0]?.evidence as { seqScan: number; seqTupRead: number; statementsTouchingTable: { query: string; filterColumns: string[] }[] };
    expect(e.seqScan).toBeGreaterThanOrEqual(10);
    expect(e.seqTupRead).toBeGreaterThanOrEqual(200_000);
    expect(e.statementsTouchingTable).toEqual([expect.objectContaining({ query: 'SELECT * FROM products WHERE category_id = $1', filterColumns: ['category_id'] })]);
    expect(findings[0]?.title).toMatch(/^Index candidate: public\.products/);
  });

  it('does not flag a table read by index scans, nor anything under the default read volume', async () => {
    const findings = await runAnalyzer(seqScanHeavyTables, { snapshot: await snapshotOf(t), workload: workload(), options: { minSeqTupRead: 100_000 } });
    expect(findings.some((f) => f.target.relation === 'public.users')).toBe(false);
    expect(await runAnalyzer(seqScanHeavyTables, { snapshot: await snapshotOf(t), workload: workload() })).toEqual([]);
  });
});
