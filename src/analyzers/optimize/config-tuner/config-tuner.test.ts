import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { collectSnapshot } from '../../../collect/collect-snapshot.ts';
import type { Finding, Snapshot } from '../../../model/index.ts';
import { configTuner } from './index.ts';

let t: TestDatabase;
const defaults = { ramGb: 0, cpus: 0, storage: '', workload: '', largeTableRows: 1_000_000 };

async function snapshot(): Promise<Snapshot> {
  return collectSnapshot(await t.open());
}
async function run(s: Snapshot, options: Partial<typeof defaults> = {}): Promise<readonly Finding[]> {
  return configTuner.run({ snapshot: s, workload: null, options: { ...defaults, ...options }, whatIf: null, baseline: null });
}

beforeAll(async () => {
  t = await createTestDatabase('config_tuner');
  await t.exec(`CREATE TABLE hot (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = off);
    INSERT INTO hot SELECT g, 0 FROM generate_series(1, 2000) g;
    UPDATE hot SET v = 1;
    UPDATE hot SET v = 2 WHERE id <= 1000;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('config-tuner analyzer', () => {
  it('without RAM or CPUs it audits only and says that nothing was guessed', async () => {
    const s = await snapshot();
    const findings = await run(s);
    expect(findings.find((f) => f.rule === 'config-tuner/hardware-unknown')?.impact.summary).toMatch(/nothing was guessed/);
    expect(findings.some((f) => f.rule === 'config-tuner' && f.target.setting === 'shared_buffers')).toBe(false);
    const jit = s.settings.find((x) => x.name === 'jit')?.setting;
    const withOltp = await run(s, { workload: 'oltp' });
    expect(withOltp.some((f) => f.rule === 'config-tuner/jit-oltp')).toBe(jit === 'on');
  });

  it('with the machine described it recommends sized settings with a memory check', async () => {
    const findings = await run(await snapshot(), { ramGb: 16, cpus: 4, storage: 'ssd', workload: 'web' });
    const sb = findings.find((f) => f.rule === 'config-tuner' && f.target.setting === 'shared_buffers');
    expect(sb?.evidence.recommended).toBe('4GB');
    expect(sb?.fix?.rollback).toMatch(/^ALTER SYSTEM (RESET|SET) shared_buffers/);
    expect(sb?.fix?.verified).toBe(false);
    const wm = findings.find((f) => f.target.setting === 'work_mem');
    expect(String(wm?.evidence.memoryCheck)).toMatch(/within|work_mem lowered from .* more than the/);
  });

  it('advises per-table autovacuum for a large hot table, and the advice goes once applied', async () => {
    const findings = await run(await snapshot(), { largeTableRows: 1000 });
    const hot = findings.find((f) => f.target.kind === 'table' && f.target.relation === 'public.hot');
    expect(hot?.fix?.content).toMatch(/ALTER TABLE public\.hot SET \(autovacuum_vacuum_scale_factor = 0\.01/);
    expect(Number(hot?.evidence.liveRows)).toBeGreaterThanOrEqual(1000);
    await t.exec(hot?.fix?.content ?? '');
    const after = await run(await snapshot(), { largeTableRows: 1000 });
    expect(after.some((f) => f.target.relation === 'public.hot')).toBe(false);
  });
});
