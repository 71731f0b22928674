import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan, parsePlan } from '../../src/explain/index.ts';
import type { PlanAnalysis, PlanNode } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { OLD_SERVER_PLANS } from '../plan-corpus/old-server-plans.ts';
import { PASTED_VARIANTS } from '../plan-corpus/pasted-variants.ts';
import { corpusPlans } from './corpus.ts';

beforeAll(async () => {
  await initSqlParser();
});

/** The tree as the JSON capture gives it; subplan labels by kind only (old servers print no number). */
function tree(root: PlanNode): string[] {
  const out: string[] = [];
  const walk = (n: PlanNode, depth: number): void => {
    const label = n.subplanName === null ? '' : (n.subplanName.split(' ')[0] ?? '');
    out.push([depth, n.nodeType, n.joinType, n.strategy, n.operation, n.relationName, n.alias, n.indexName, n.cteName, label, n.parentRelationship, n.filter, n.indexCond, n.hashCond].join(' ¦ '));
    n.children.forEach((c) => walk(c, depth + 1));
  };
  walk(root, 0);
  return out;
}

function findingKeys(a: PlanAnalysis): string[] {
  return a.findings.map((f) => `${f.rule}@${f.target.nodePath ?? ''}`).sort();
}

interface Outcome {
  readonly id: string;
  readonly result: 'right' | 'warned' | 'wrong' | 'rejected';
  readonly detail: string;
}

const plans = corpusPlans();

function readVariant(input: string, expected: readonly string[]): Outcome['result'] {
  try {
    const plan = parsePlan(input);
    const same = JSON.stringify(tree(plan.root)) === JSON.stringify(expected);
    if (same) return 'right';
    return plan.parseWarnings.length > 0 ? 'warned' : 'wrong';
  } catch {
    return 'rejected';
  }
}

describe('plans as users paste them (derived from the captured corpus)', () => {
  const outcomes: Outcome[] = [];
  beforeAll(() => {
    for (const p of plans) {
      const expected = tree(parsePlan(p.json).root);
      for (const v of PASTED_VARIANTS) {
        const input = v.make(v.json === true ? p.json : p.text, p.scenario.sql);
        const result = readVariant(input, expected);
        outcomes.push({ id: `${p.id} · ${v.name}`, result, detail: result === 'right' ? '' : input.slice(0, 200) });
      }
    }
  });

  it('reads ≥ 98 % of the pasted variants to the tree of the JSON capture', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(plans.length * PASTED_VARIANTS.length);
    const right = outcomes.filter((o) => o.result === 'right').length;
    const notRight = outcomes.filter((o) => o.result !== 'right').map((o) => `${o.result}: ${o.id}`);
    expect(right / outcomes.length, notRight.join('\n')).toBeGreaterThanOrEqual(0.98);
  });

  it('never builds a different tree without a warning', () => {
    expect(outcomes.filter((o) => o.result === 'wrong').map((o) => `${o.id}\n${o.detail}`)).toEqual([]);
  });

  it('gives the same findings for every text variant as for the plain text capture', () => {
    const sample = plans.filter((p) => p.scenario.must.length > 0);
    expect(sample.length).toBeGreaterThan(10);
    for (const p of sample) {
      const plain = findingKeys(analyzePlan(p.text, { sql: p.scenario.sql }));
      for (const v of PASTED_VARIANTS.filter((x) => x.json !== true && !x.name.startsWith('old server'))) {
        expect(findingKeys(analyzePlan(v.make(p.text, p.scenario.sql), { sql: p.scenario.sql })), `${p.id} · ${v.name}`).toEqual(plain);
      }
    }
  });

  it('reads the statement times whatever their spelling', () => {
    const p = plans.find((x) => x.id === 'pg15/initplan') ?? plans[0];
    if (p === undefined) throw new Error('empty corpus');
    const exec = parsePlan(p.text).executionTimeMs;
    expect(exec).not.toBeNull();
    for (const v of PASTED_VARIANTS.filter((x) => x.json !== true)) expect(parsePlan(v.make(p.text, p.scenario.sql)).executionTimeMs, v.name).toBe(exec);
  });
});

describe('plans of old servers, written by hand after public examples', () => {
  for (const c of OLD_SERVER_PLANS) {
    it(c.name, () => {
      const plan = parsePlan(c.text);
      const got: string[] = [];
      const walk = (n: PlanNode, depth: number): void => {
        got.push(`${'  '.repeat(depth)}${n.nodeType}${n.relationName === null ? '' : ` ${n.relationName}`}${n.alias === null || n.alias === n.relationName ? '' : ` ${n.alias}`}${n.subplanName === null ? '' : ` [${n.subplanName}]`}`);
        n.children.forEach((k) => walk(k, depth + 1));
      };
      walk(plan.root, 0);
      expect(got).toEqual(c.tree);
      expect(plan.executionTimeMs).toBe(c.executionTimeMs);
      expect(plan.parseWarnings).toEqual([]);
    });
  }
});
