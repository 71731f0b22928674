import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules, renderRuleReference } from '../../src/rules/rule-reference.ts';

const root = new URL('../..', import.meta.url);

describe('docs/rules.md', () => {
  it('is current: regenerate with npm run docs', () => {
    expect(readFileSync(new URL('docs/rules.md', root), 'utf8')).toBe(renderRuleReference());
  });

  it('lists every kind of rule once, each with docs that exist', () => {
    const rules = allRules();
    const ids = rules.map((r) => `${r.kind}:${r.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(rules.map((r) => r.kind))).toEqual(new Set(['analyzer', 'plan-tip', 'rewrite', 'migration-lint', 'n1', 'pool', 'pgbouncer', 'migration-plan']));
    const missing = rules.filter((r) => !existsSync(new URL(r.docs, root))).map((r) => `${r.id}: ${r.docs}`);
    expect(missing).toEqual([]);
  });
});
