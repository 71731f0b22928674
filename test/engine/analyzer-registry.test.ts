import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../src/analyzers/registry.ts';
import { renderAnalyzerIndex } from '../../src/engine/analyzer-docs.ts';

describe('the analyzer registry', () => {
  it('has unique ids, every one a folder with a README doc under its phase', () => {
    const ids = ANALYZERS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ANALYZERS) {
      expect(a.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const doc = new URL(`../../src/analyzers/${a.phase}/${a.id}/README.md`, import.meta.url);
      expect(existsSync(doc), `${a.phase}/${a.id}/README.md`).toBe(true);
      const text = readFileSync(doc, 'utf8');
      for (const heading of ['Problem', 'Detection', 'Fix', 'When not to use', 'References']) {
        expect(text, `${a.id} README lacks "${heading}"`).toMatch(new RegExp(`^#+ ${heading}`, 'm'));
      }
      for (const [name, spec] of Object.entries(a.options)) {
        expect(spec.description.length, `${a.id}.${name} needs a description`).toBeGreaterThan(5);
      }
    }
  });

  it('docs/analyzers.md is up to date (npm run docs)', () => {
    const committed = readFileSync(new URL('../../docs/analyzers.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderAnalyzerIndex(ANALYZERS));
  });
});
