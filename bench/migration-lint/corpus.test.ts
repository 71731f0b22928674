import { describe, expect, it } from 'vitest';
import { compareCorpus } from './compare.ts';

describe('migration lint corpus against squawk', () => {
  it('catches every rule squawk catches and stays silent on safe migrations', async () => {
    const rows = await compareCorpus();
    expect(rows.length).toBeGreaterThanOrEqual(60);
    const missed = rows.filter((r) => r.missed.length > 0).map((r) => `${r.file}: ${r.missed.join(', ')}`);
    expect(missed).toEqual([]);
    const falsePositives = rows.filter((r) => r.kind === 'safe' && r.ours.length > 0).map((r) => `${r.file}: ${r.ours.join(', ')}`);
    expect(falsePositives).toEqual([]);
    const silentOnDangerous = rows.filter((r) => r.kind === 'dangerous' && r.ours.length === 0).map((r) => r.file);
    expect(silentOnDangerous).toEqual([]);
  });
});
