import { describe, expect, it } from 'vitest';
import { compareCorpus, score } from './compare.ts';

describe('migration lint corpus against squawk', () => {
  it('recall at least squawk\'s, false alarms at most half of squawk\'s, and every squawk rule hit on a dangerous or style file is ours', async () => {
    const rows = await compareCorpus();
    expect(rows.length).toBeGreaterThanOrEqual(100);
    const s = score(rows);
    expect(s.recallUs).toBeGreaterThanOrEqual(s.recallSquawk);
    expect(s.falseAlarmsUs).toBeLessThanOrEqual(Math.floor(s.falseAlarmsSquawk / 2));
    const missed = rows.filter((r) => r.kind !== 'safe' && r.missed.length > 0).map((r) => `${r.file}: ${r.missed.join(', ')}`);
    expect(missed).toEqual([]);
    const silentOnDangerous = rows.filter((r) => r.kind === 'dangerous' && r.oursFailing.length === 0).map((r) => r.file);
    expect(silentOnDangerous).toEqual([]);
    const falseAlarms = rows.filter((r) => r.kind === 'safe' && r.oursFailing.length > 0).map((r) => `${r.file}: ${r.oursFailing.join(', ')}`);
    expect(falseAlarms).toEqual([]);
    // one squawk process per file: give it room on a loaded machine
  }, 300_000);
});
