import { describe, expect, it } from 'vitest';
import { jobName, jobPrefix } from './job-name.ts';

describe('jobName', () => {
  it('is the readable name when it fits in 63 bytes', () => {
    expect(jobName('shop', 'reindex', 'public.orders_pkey')).toBe('dbopt:shop:reindex:public.orders_pkey');
  });

  it('cuts long targets and databases to 63 bytes, keeps kind and prefix, and stays unique', () => {
    const db = 'a_database_with_a_rather_long_name_indeed';
    const a = jobName(db, 'partition-retention', `public."${'x'.repeat(80)}1"`);
    const b = jobName(db, 'partition-retention', `public."${'x'.repeat(80)}2"`);
    for (const n of [a, b]) {
      expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
      expect(n.startsWith(`${jobPrefix(db)}partition-retention:`)).toBe(true);
    }
    expect(a).not.toBe(b);
    expect(jobPrefix(db)).not.toBe(jobPrefix(`${db}2`));
  });

  it('never splits a multi-byte character', () => {
    const n = jobName('ünïcødé_database_ünïcødé', 'archive', `public."${'ü'.repeat(40)}"`);
    expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
    expect(n).not.toContain('\uFFFD');
    expect(Buffer.from(n, 'utf8').toString('utf8')).toBe(n);
  });
});
