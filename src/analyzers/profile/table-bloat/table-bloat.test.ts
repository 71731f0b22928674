import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type { Snapshot } from '../../../model/index.ts';
import { tableBloat } from './index.ts';

let t: TestDatabase;
let snapshot: Snapshot;
// size floors scaled down with the fixture (defaults: 100 MB tables, 10 MB indexes)
const small = { minSizeBytes: 0, minBloatBytes: 0 };

beforeAll(async () => {
  t = await createTestDatabase('table-bloat');
  await t.exec(`
    CREATE TABLE fresh (id int PRIMARY KEY, name text, n int, at timestamptz) WITH (autovacuum_enabled = false);
    CREATE TABLE churned (id int PRIMARY KEY, name text, n int, at timestamptz) WITH (autovacuum_enabled = false);
    INSERT INTO fresh SELECT g, md5(g::text), g % 100, now() FROM generate_series(1, 30000) g;
    INSERT INTO churned SELECT g, md5(g::text), g % 100, now() FROM generate_series(1, 30000) g;
    DELETE FROM churned WHERE id % 5 <> 0;`);
  // VACUUM marks the space reusable but keeps the pages: 80 % of them are now empty space
  await t.exec('VACUUM ANALYZE fresh');
  await t.exec('VACUUM ANALYZE churned');
  snapshot = await snapshotOf(t);
});
afterAll(async () => {
  await t.drop();
});

describe('table-bloat', () => {
  it('estimates ~80 % bloat after deleting 4 rows in 5, from pg_stats widths', async () => {
    const findings = await runAnalyzer(tableBloat, { snapshot, options: small });
    const f = findings.find((x) => x.target.relation === 'public.churned');
    expect(f?.rule).toBe('table-bloat');
    expect(f?.title).toMatch(/^Table public.churned is ~(7[5-9]|8[0-5]) % bloat/);
    expect(Number(f?.evidence.estimatedBloatRatio)).toBeGreaterThan(0.7);
    expect(f?.evidence.isEstimate).toBe(true);
    expect(f?.impact.bytes).toBeGreaterThan(0);
    expect(f?.fix?.content).toMatch(/pg_repack --table=public.churned/);
  });

  it('does not report a freshly loaded relation, nor anything under the default size floor', async () => {
    const findings = await runAnalyzer(tableBloat, { snapshot, options: small });
    expect(findings.some((x) => x.target.relation === 'public.fresh')).toBe(false);
    expect(await runAnalyzer(tableBloat, { snapshot })).toEqual([]);
  });
});
