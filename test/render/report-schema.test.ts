import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('schema/report.schema.json', () => {
  it('has no duplicate keys (a later one would silently replace an earlier command\'s contract)', () => {
    const duplicates: string[] = [];
    const text = readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8');
    // JSON.parse keeps the last of duplicate keys; walk the text with a reviver-free scan per object instead
    const stack: Set<string>[] = [];
    const tokens = text.matchAll(/"(?:[^"\\]|\\.)*"\s*:|[{}]/g);
    for (const [token] of tokens) {
      if (token === '{') stack.push(new Set());
      else if (token === '}') stack.pop();
      else {
        const key = token.replace(/\s*:$/, '');
        const current = stack[stack.length - 1];
        if (current?.has(key)) duplicates.push(key);
        current?.add(key);
      }
    }
    expect(duplicates).toEqual([]);
  });
});
