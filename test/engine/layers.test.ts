import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, MAX_LINES } from '../../scripts/check-layers.ts';

const root = new URL('../..', import.meta.url).pathname;

describe('source layout', () => {
  it('has no import cycle between the top-level folders of src/ and no file over the line limit', () => {
    const problems = checkLayers(root);
    expect(problems.cycles).toEqual([]);
    expect(problems.oversize).toEqual([]);
  });

  it('the check finds a cycle and an oversize file when there is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbo-layers-'));
    mkdirSync(join(dir, 'src', 'a'), { recursive: true });
    mkdirSync(join(dir, 'src', 'b'), { recursive: true });
    writeFileSync(join(dir, 'src', 'a', 'one.ts'), "import { two } from '../b/two.ts';\nexport const one = two;\n");
    writeFileSync(join(dir, 'src', 'b', 'two.ts'), "import type { One } from '../a/types.ts';\nexport const two = 2;\nexport type T = One;\n");
    writeFileSync(join(dir, 'src', 'a', 'types.ts'), `export type One = 1;\n${'// filler\n'.repeat(MAX_LINES)}`);
    const problems = checkLayers(dir);
    expect(problems.cycles).toHaveLength(1);
    expect(problems.cycles[0]).toMatch(/src\/\{a,b\}/);
    expect(problems.oversize).toEqual([`src/a/types.ts: ${MAX_LINES + 1} lines (limit ${MAX_LINES}): split it`]);
  });
});
