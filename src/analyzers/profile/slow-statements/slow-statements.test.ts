import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { workloadFromPgStatStatements } from '../../../workload/from-pg-stat-statements.ts';
import { slowStatements } from './index.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('slow_statements');
  if (!t.extensions.has('pg_stat_statements')) throw new Error('pg_stat_statements must be preloaded on the test server');
  await t.exec('CREATE TABLE jobs (id int PRIMARY KEY, payload text)');
  // a real slow statement (25 ms each) and a fast one, recorded by pg_stat_statements
  for (let i = 0; i < 6; i++) await t.exec('SELECT pg_sleep(0.025), count(*) FROM jobs WHERE payload = $1', [`x${i}`]);
  for (let i = 0; i < 20; i++) await t.exec('SELECT id FROM jobs WHERE id = $1', [i]);
});
afterAll(async () => {
  await t.drop();
});

describe('slow-statements', () => {
  it('flags a statement with mean ≥ minMeanMs and ≥ minCalls, from pg_stat_statements', async () => {
    const db = await t.open();
    const workload = await workloadFromPgStatStatements(db);
    const findings = await runAnalyzer(slowStatements, { snapshot: await snapshotOf(t), workload, options: { minCalls: 5 } });
    const slow = findings.filter((f) => String(f.evidence.query).includes('pg_sleep'));
    expect(slow).toHaveLength(1);
    expect(slow[0]?.evidence.calls).toBe(6);
    expect(Number(slow[0]?.evidence.meanTimeMs)).toBeGreaterThanOrEqual(25);
    expect(slow[0]?.severity).toBe('warning');
    expect(slow[0]?.nextSteps?.join('\n')).toMatch(/public\.jobs/);
    expect(findings.some((f) => String(f.evidence.query).includes('WHERE id ='))).toBe(false);
  });

  it('does not flag it with the PgHero defaults (fewer than 100 calls)', async () => {
    const db = await t.open();
    const workload = await workloadFromPgStatStatements(db);
    const findings = await runAnalyzer(slowStatements, { snapshot: await snapshotOf(t), workload });
    expect(findings.filter((f) => String(f.evidence.query).includes('pg_sleep'))).toEqual([]);
  });
});
