import { describe, expect, it } from 'vitest';
import { compareRows } from './verify.ts';

describe('compareRows', () => {
  it('compares multisets: duplicates count, order does not', () => {
    expect(compareRows([['1'], ['1'], ['2']], [['2'], ['1'], ['1']], false).equal).toBe(true);
    const r = compareRows([['1'], ['1'], ['2']], [['1'], ['2'], ['2']], false);
    expect(r.equal).toBe(false);
    expect(r.onlyBefore).toEqual([['1']]);
    expect(r.onlyAfter).toEqual([['2']]);
  });

  it('treats NULL as a value of its own, never equal to the text "NULL" or an empty string', () => {
    expect(compareRows([[null]], [['NULL']], false).equal).toBe(false);
    expect(compareRows([[null]], [['']], false).equal).toBe(false);
    expect(compareRows([[null, 'a']], [[null, 'a']], false).equal).toBe(true);
  });

  it('reports the first position where an ordered comparison differs', () => {
    const r = compareRows([['1'], ['2'], ['3']], [['1'], ['3'], ['2']], true);
    expect(r.equal).toBe(false);
    expect(r.onlyBefore).toEqual([]);
    expect(r.firstOrderDifference).toEqual({ position: 2, before: ['2'], after: ['3'] });
    expect(compareRows([['1'], ['2']], [['1'], ['2']], true).equal).toBe(true);
  });

  it('keeps at most ten differing rows per side', () => {
    const before = Array.from({ length: 30 }, (_, i) => [String(i)]);
    const r = compareRows(before, [], false);
    expect(r.onlyBefore).toHaveLength(10);
  });
});
