import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { settingsSanity } from './index.ts';

let bad: TestDatabase;
let good: TestDatabase;
beforeAll(async () => {
  // per-database settings: the shared server's own configuration is never touched
  bad = await createTestDatabase('settings_bad');
  await bad.exec(`ALTER DATABASE ${bad.name} SET track_io_timing = off`);
  await bad.exec(`ALTER DATABASE ${bad.name} SET log_min_duration_statement = -1`);
  await bad.exec('DROP EXTENSION IF EXISTS pg_stat_statements');
  good = await createTestDatabase('settings_good');
  await good.exec(`ALTER DATABASE ${good.name} SET track_io_timing = on`);
  await good.exec(`ALTER DATABASE ${good.name} SET log_min_duration_statement = '1s'`);
});
afterAll(async () => {
  await bad.drop();
  await good.drop();
});

describe('settings-sanity', () => {
  it('reports track_io_timing off, no slow-query log and pg_stat_statements missing', async () => {
    const findings = await runAnalyzer(settingsSanity, { snapshot: await snapshotOf(bad) });
    const by = (s: string) => findings.find((f) => f.target.setting === s);
    expect(by('track_io_timing')?.evidence).toMatchObject({ value: 'off', source: 'database' });
    expect(by('log_min_duration_statement')?.fix?.content).toContain("log_min_duration_statement = '1s'");
    expect(by('shared_preload_libraries')?.title).toBe('pg_stat_statements is not installed in this database: no per-statement workload statistics');
    expect(by('shared_preload_libraries')?.fix?.content).toBe('CREATE EXTENSION pg_stat_statements;');
  });

  it('does not report settings that are fine', async () => {
    const findings = await runAnalyzer(settingsSanity, { snapshot: await snapshotOf(good) });
    const settings = findings.map((f) => f.target.setting);
    expect(settings).not.toContain('track_io_timing');
    expect(settings).not.toContain('log_min_duration_statement');
    expect(settings).not.toContain('shared_preload_libraries');
    expect(settings).not.toContain('fsync');
    expect(settings).not.toContain('full_page_writes');
  });
});
