import { describe, expect, it } from 'vitest';
import { fitLine, sideBySide } from './side-by-side.ts';

describe('sideBySide', () => {
  it('puts short statements in two columns', () => {
    const lines = sideBySide('SELECT a FROM t WHERE b = 1', 'SELECT a FROM t WHERE b = 2', 80);
    expect(lines[0]).toMatch(/^before\s+│ after$/);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
  });

  it('stacks statements too wide for a column and wraps long lines instead of cutting them', () => {
    const long = `SELECT ${Array.from({ length: 12 }, (_, i) => `very_long_column_name_${i}`).join(' + ')} AS total FROM some_table_with_a_long_name`;
    const lines = sideBySide(long, long, 60);
    expect(lines[0]).toBe('before:');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('very_long_column_name_11');
  });

  it('fitLine keeps every character', () => {
    const line = '  ) AS products_avg ON products_avg.category_id = p.category_id AND products_avg.x = p.x';
    const parts = fitLine(line, 40);
    expect(parts.every((p) => p.length <= 40)).toBe(true);
    expect(parts.map((p) => p.trim()).join(' ')).toBe(line.trim());
  });
});
