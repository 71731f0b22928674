import { describe, expect, it } from 'vitest';
import { beforeAll } from 'vitest';
import { DbOptimizeError } from '../../src/errors/index.ts';
import { analyzePlan } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { corpusPlans, psqlBordered } from './corpus.ts';

beforeAll(async () => {
  await initSqlParser();
});

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = ['(', ')', '->', '  ', '\n', ':', '=', '..', '"', '{', '}', '[', ']', ',', '-1', '1e999', 'NaN', 'Seq Scan on x', 'loops=', 'rows=', '\t', '│', '+', 'InitPlan 1', 'Worker 0:  ', 'never executed', '\u00e9', '0'];

function mutate(text: string, r: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.3) s = s.slice(0, at);
    else if (op < 0.55) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 40));
    else if (op < 0.85) s = s.slice(0, at) + (NOISE[Math.floor(r() * NOISE.length)] ?? '') + s.slice(at);
    else {
      const lines = s.split('\n');
      const a = Math.floor(r() * lines.length);
      const b = Math.floor(r() * lines.length);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      s = lines.join('\n');
    }
  }
  return s;
}

describe('fuzzing the plan parsers with truncations and mutations of the corpus', () => {
  it('never throws anything but our parse error (and never hangs)', () => {
    const plans = corpusPlans();
    let parsed = 0;
    let rejected = 0;
    for (const [i, p] of plans.entries()) {
      for (const [k, source] of [p.text, p.json, psqlBordered(p.text, true)].entries()) {
        const r = rng(1000 * i + k);
        for (let n = 0; n < 25; n++) {
          const input = mutate(source, r);
          try {
            analyzePlan(input);
            parsed++;
          } catch (error) {
            if (!(error instanceof DbOptimizeError) || error.code !== 'E_PLAN_PARSE') {
              throw new Error(`seed ${1000 * i + k} #${n} on ${p.id}: ${(error as Error).stack ?? String(error)}\n--- input ---\n${input.slice(0, 2000)}`);
            }
            expect(error.exitCode).toBe(2);
            rejected++;
          }
        }
      }
    }
    // both outcomes happen: the parser is neither accepting everything nor rejecting everything
    expect(parsed).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});
