import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../registry.ts';

const profile = ANALYZERS.filter((a) => a.phase === 'profile');

// The docs table of options is derived from the metadata; this keeps the two from drifting.
describe('profile analyzer docs', () => {
  it.each(profile.map((a) => [a.id, a] as const))('%s has a README with every section, option and its default', (id, analyzer) => {
    const path = new URL(`./${id}/README.md`, import.meta.url);
    expect(existsSync(path)).toBe(true);
    const text = readFileSync(path, 'utf8');
    for (const section of ['## Problem', '## Detection', '## Fix', '## When not to use', '## Options', '## References']) expect(text).toContain(section);
    for (const [name, spec] of Object.entries(analyzer.options)) {
      expect(text).toContain(`| \`${name}\` | \`${JSON.stringify(spec.default)}\` | ${spec.description} |`);
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });
});
