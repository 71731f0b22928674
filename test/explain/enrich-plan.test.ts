import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrichPlan, parsePlan } from '../../src/explain/index.ts';
import type { EnrichedPlan } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { CORPUS_DIR } from './corpus.ts';

beforeAll(async () => {
  await initSqlParser();
});

function load(version: string, name: string, ext = 'json'): EnrichedPlan {
  return enrichPlan(parsePlan(readFileSync(`${CORPUS_DIR}${version}/${name}.${ext}`, 'utf8')));
}

function byType(p: EnrichedPlan, type: string, nth = 0) {
  const n = p.nodes.filter((x) => x.node.nodeType === type)[nth];
  if (n === undefined) throw new Error(`no ${type}`);
  return n;
}

describe('enrichPlan', () => {
  for (const v of ['pg15', 'pg18']) {
    it(`${v}: exclusive times of a serial plan add up to the root's time`, () => {
      const p = load(v, 'seed-report');
      const sum = p.nodes.reduce((a, n) => a + (n.exclusiveMs ?? 0), 0);
      expect(sum).toBeCloseTo(p.nodes[0]?.inclusiveMs ?? 0, 1);
      // the root's time is within the execution time
      expect(p.nodes[0]?.inclusiveMs ?? 0).toBeLessThanOrEqual(p.plan.executionTimeMs ?? 0);
      expect(p.hottestPath).not.toBeNull();
      expect(p.nodes.filter((n) => n.hot).map((n) => n.path)[0]).toBe('0');
    });

    it(`${v}: a correlated SubPlan's time is loops × per-loop time and counts inside the scan that evaluates it`, () => {
      const p = load(v, 'correlated-subplan');
      const sub = p.nodes.find((n) => n.node.subplanName?.startsWith('SubPlan') === true);
      expect(sub).toBeDefined();
      const loops = sub?.node.actualLoops ?? 0;
      expect(loops).toBe(5000);
      expect(sub?.inclusiveMs).toBeCloseTo((sub?.node.actualTotalTimeMs ?? 0) * loops, 3);
      const parent = p.byPath.get(sub?.parentPath ?? '');
      expect(parent?.node.nodeType).toBe('Seq Scan');
      // the scan's own work is small next to the subplan it runs 5000 times
      expect(parent?.exclusiveMs ?? 0).toBeLessThan((sub?.inclusiveMs ?? 0) * 0.5);
      const inner = p.nodes.find((n) => n.path.startsWith(`${sub?.path}.`) && n.node.nodeType === 'Seq Scan');
      expect(inner?.actualRowsTotal).toBe((inner?.node.actualRows ?? 0) * 5000);
    });

    it(`${v}: parallel nodes share their time between the launched workers and the leader`, () => {
      const p = load(v, 'parallel-count');
      const gather = byType(p, 'Gather');
      const launched = gather.node.workersLaunched ?? 0;
      expect(launched).toBeGreaterThan(0);
      const scan = byType(p, 'Seq Scan');
      expect(scan.node.parallelAware).toBe(true);
      expect(scan.parallelDivisor).toBe(launched + 1);
      expect(scan.gatherPath).toBe(gather.path);
      expect(scan.inclusiveMs).toBeCloseTo(((scan.node.actualTotalTimeMs ?? 0) * (scan.node.actualLoops ?? 0)) / (launched + 1), 3);
      expect(scan.inclusiveMs ?? 0).toBeLessThanOrEqual((gather.inclusiveMs ?? 0) * 1.05);
    });

    it(`${v}: a materialized CTE's time is charged to the CTE Scan that reads it, not twice`, () => {
      const p = load(v, 'cte-fence');
      const cte = p.nodes.find((n) => n.node.subplanName === 'CTE o');
      const scan = byType(p, 'CTE Scan');
      expect(cte).toBeDefined();
      const root = p.nodes[0];
      expect(root?.path).toBe(scan.path);
      const sum = p.nodes.reduce((a, n) => a + (n.exclusiveMs ?? 0), 0);
      expect(sum).toBeCloseTo(root?.inclusiveMs ?? 0, 1);
      expect(scan.exclusiveMs ?? 0).toBeLessThan(scan.inclusiveMs ?? 0);
    });

    it(`${v}: exclusive buffers subtract the children and never go negative`, () => {
      const p = load(v, 'seed-report');
      const root = p.nodes[0];
      const sharedHit = p.nodes.reduce((a, n) => a + (n.exclusiveBuffers?.sharedHit ?? 0) + (n.exclusiveBuffers?.sharedRead ?? 0), 0);
      expect(sharedHit).toBe((root?.node.buffers?.sharedHit ?? 0) + (root?.node.buffers?.sharedRead ?? 0));
      for (const n of p.nodes) for (const value of Object.values(n.exclusiveBuffers ?? {})) expect(value).toBeGreaterThanOrEqual(0);
    });

    it(`${v}: misestimates carry a factor and a direction; loops multiply rows`, () => {
      const p = load(v, 'misestimate-correlated');
      const scan = p.nodes[0];
      expect(scan?.misestimateDirection).toBe('under');
      expect(scan?.misestimateFactor ?? 0).toBeGreaterThanOrEqual(10);
      const nl = load(v, 'nested-loop-seq-inner');
      const inner = nl.nodes.find((n) => (n.node.actualLoops ?? 0) > 1);
      expect(inner?.actualRowsTotal).toBe((inner?.node.actualRows ?? 0) * (inner?.node.actualLoops ?? 0));
      expect(inner?.planRowsTotal).toBe((inner?.node.planRows ?? 0) * (inner?.node.actualLoops ?? 0));
    });

    it(`${v}: workers planned and launched are kept; disk sorts keep their I/O time`, () => {
      const p = load(v, 'workers-not-launched');
      const g = byType(p, 'Gather');
      expect(g.node.workersPlanned).toBe(2);
      expect(g.node.workersLaunched).toBe(0);
      expect(load(v, 'parallel-count').nodes.some((n) => n.node.workers.length > 0 || n.node.workersLaunched !== null)).toBe(true);
      const sort = load(v, 'disk-sort', 'txt').nodes[0];
      expect(sort?.node.sortSpaceType).toBe('Disk');
      expect(sort?.exclusiveBuffers?.tempWritten ?? 0).toBeGreaterThan(0);
      expect(sort?.ioMs ?? 0).toBeGreaterThan(0);
    });
  }

  it('gives every node a stable path: the same for JSON and text and across re-parsing', () => {
    const a = load('pg15', 'initplan');
    const b = load('pg15', 'initplan', 'txt');
    expect(a.nodes.map((n) => n.path)).toEqual(b.nodes.map((n) => n.path));
    expect(a.nodes.map((n) => n.path)).toEqual(load('pg15', 'initplan').nodes.map((n) => n.path));
    expect(a.nodes.some((n) => n.node.parentRelationship === 'InitPlan')).toBe(true);
  });
});

describe('tip engine', () => {
  it('notes when one proposed index serves another tip too', async () => {
    const { analyzePlan } = await import('../../src/explain/index.ts');
    const text = [
      'Limit  (cost=5146.19..5146.24 rows=20 width=65) (actual time=92.1..92.2 rows=20 loops=1)',
      '  ->  Sort  (cost=5146.19..5151.19 rows=2000 width=65) (actual time=92.1..92.1 rows=20 loops=1)',
      '        Sort Key: created_at DESC',
      '        Sort Method: top-N heapsort  Memory: 30kB',
      '        ->  Seq Scan on orders  (cost=0.00..5093.00 rows=2000 width=65) (actual time=0.1..91.0 rows=2000 loops=1)',
      "              Filter: (status = 'pending'::text)",
      '              Rows Removed by Filter: 198000',
      'Execution Time: 92.5 ms',
    ].join('\n');
    const a = analyzePlan(text);
    const scan = a.findings.find((f) => f.rule === 'plan-seq-scan-filter');
    const sort = a.findings.find((f) => f.rule === 'plan-sort-limit');
    expect(sort?.evidence.indexColumns).toEqual(['status', 'created_at']);
    expect(scan?.evidence.subsumedBy).toBe('CREATE INDEX ON orders (status, created_at)');
    expect(scan?.nextSteps?.at(-1)).toMatch(/orders\(status, created_at\) proposed for node 0\.0 serves this too/);
    expect(sort?.evidence.subsumedBy).toBeUndefined();
  });
});
