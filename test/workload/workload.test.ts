import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workloadFromPgStatStatements } from '../../src/workload/from-pg-stat-statements.ts';
import { workloadFromSql } from '../../src/workload/from-sql-file.ts';
import { estimatePercentiles } from '../../src/workload/percentiles.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('workload');
  await t.exec(`CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g % 7 FROM generate_series(1, 1000) g;`);
});
afterAll(async () => {
  await t.drop();
});

describe('workload from pg_stat_statements', () => {
  it('reads this database\'s statements with fingerprints and timings, never our own queries', async () => {
    const c = await t.client();
    for (let i = 0; i < 25; i++) await c.query('SELECT * FROM items WHERE id = $1', [i + 1]);
    await c.end();
    const db = await t.open();
    const w = await workloadFromPgStatStatements(db);
    const lookup = w.statements.find((s) => /FROM items WHERE id = \$1/i.test(s.text));
    expect(lookup?.calls).toBe(25);
    expect(lookup?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(lookup?.rows).toBe(25);
    expect(lookup?.meanTimeMs).toBeGreaterThan(0);
    expect(lookup?.stddevTimeMs).not.toBeNull();
    expect(lookup?.queryId).toBeTruthy();
    expect(w.statements.some((s) => s.text.includes('/* db-optimize */') || /to_jsonb\(s\)|pg_get_indexdef|set_config/.test(s.text))).toBe(false);
    expect(w.totalTimeMs).toBeGreaterThan(0);
  });

  it('with an interval, keeps only what ran between the two readings', async () => {
    const db = await t.open();
    const c = await t.client();
    const w = await workloadFromPgStatStatements(db, {
      intervalSeconds: 1,
      sleep: async () => {
        for (let i = 0; i < 7; i++) await c.query('SELECT count(*) FROM items WHERE v = $1', [i]);
      },
    });
    await c.end();
    const counted = w.statements.find((s) => /count\(\*\) FROM items WHERE v = \$1/i.test(s.text));
    expect(counted?.calls).toBe(7);
    expect(w.statements.find((s) => /FROM items WHERE id = \$1/i.test(s.text))).toBeUndefined();
    expect(w.windowSeconds).toBe(1);
  });

  it('explains what to do when pg_stat_statements is not installed', async () => {
    const other = await createTestDatabase('nopgss');
    try {
      await other.exec('DROP EXTENSION IF EXISTS pg_stat_statements');
      const db = await other.open();
      await expect(workloadFromPgStatStatements(db)).rejects.toThrow(/shared_preload_libraries.*CREATE EXTENSION pg_stat_statements/);
    } finally {
      await other.drop();
    }
  });
});

describe('workload from SQL', () => {
  it('splits statements, reads -- calls weights and normalizes', () => {
    const w = workloadFromSql(
      `-- the hot path\n-- calls: 1000/s\nSELECT * FROM orders WHERE user_id = 42 ORDER BY created_at DESC;\n\n` +
        `-- calls: 10/min\nSELECT * FROM orders WHERE status = 'pending';\nSELECT $$a;b$$ AS semi; -- trailing\n/* calls: 5 */ SELECT 1`,
      'w.sql',
    );
    expect(w.statements.map((s) => s.calls)).toEqual([86_400_000, 14_400, 1, 1]);
    expect(w.statements[0]?.text).toBe('SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC');
    expect(w.statements[0]?.sample).toContain('user_id = 42');
    expect(w.statements[2]?.sample).toBe('SELECT $$a;b$$ AS semi');
    expect(w.statements[0]?.origin).toBe('w.sql:3');
    expect(w.statements.every((s) => s.fingerprint !== null)).toBe(true);
    expect(w.issues).toEqual([]);
  });

  it('keeps going past a malformed statement and says where it is', () => {
    const w = workloadFromSql('SELECT 1;\nSELEC * FROM t;\nSELECT 2;', 'bad.sql');
    expect(w.statements).toHaveLength(3);
    expect(w.statements[1]?.parseError).toMatch(/syntax error/);
    expect(w.issues[0]).toMatch(/^bad\.sql:2: statement does not parse: syntax error at or near "SELEC"/);
  });
});

describe('percentile estimates', () => {
  it('uses mean + z·stddev, clamped to the observed maximum', () => {
    expect(estimatePercentiles(10, 2)).toEqual({ p95: 10 + 1.645 * 2, p99: 10 + 2.326 * 2 });
    expect(estimatePercentiles(10, 100, 50)).toEqual({ p95: 50, p99: 50 });
    expect(estimatePercentiles(10, null)).toBeNull();
  });
});
