import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan, parsePlan } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';

beforeAll(async () => {
  await initSqlParser();
});

describe('text plan forms beyond the captured corpus', () => {
  it('reads EXPLAIN VERBOSE: schema-qualified relations, Output lists, Query Identifier', () => {
    const plan = parsePlan(
      [
        'Hash Join  (cost=1.09..2.22 rows=3 width=40) (actual time=0.030..0.033 rows=3 loops=1)',
        '  Output: o.id, u.email, (o.total * 2::numeric)',
        '  Inner Unique: true',
        '  Hash Cond: (o.user_id = u.id)',
        '  ->  Seq Scan on public.orders o  (cost=0.00..1.03 rows=3 width=24) (actual time=0.005..0.006 rows=3 loops=1)',
        '        Output: o.id, o.user_id, o.total',
        '  ->  Hash  (cost=1.04..1.04 rows=4 width=24) (actual time=0.010..0.011 rows=4 loops=1)',
        '        Output: u.email, u.id',
        '        Buckets: 1024  Batches: 1  Memory Usage: 9kB',
        '        ->  Seq Scan on "My Schema"."User Table" u  (cost=0.00..1.04 rows=4 width=24) (actual time=0.004..0.005 rows=4 loops=1)',
        '              Output: u.email, u.id',
        'Query Identifier: -123456789',
        'Planning Time: 0.100 ms',
        'Execution Time: 0.050 ms',
      ].join('\r\n'),
    );
    expect(plan.root.output).toEqual(['o.id', 'u.email', '(o.total * 2::numeric)']);
    const scan = plan.root.children[0];
    expect(scan).toMatchObject({ nodeType: 'Seq Scan', schema: 'public', relationName: 'orders', alias: 'o', parentRelationship: 'Outer' });
    expect(plan.root.children[1]?.children[0]).toMatchObject({ schema: 'My Schema', relationName: 'User Table', alias: 'u' });
    expect(plan.root.children[1]?.hashBuckets).toBe(1024);
    expect(plan.executionTimeMs).toBe(0.05);
  });

  it('reads a plan without ANALYZE (estimates only) and gives no timing tips', () => {
    const a = analyzePlan(
      ['Limit  (cost=0.42..1.20 rows=10 width=65)', '  ->  Index Scan Backward using orders_pkey on orders  (cost=0.42..7838.42 rows=100000 width=65)'].join('\n'),
    );
    expect(a.plan.plan.analyzed).toBe(false);
    expect(a.plan.nodes[1]?.node).toMatchObject({ nodeType: 'Index Scan', scanDirection: 'Backward', indexName: 'orders_pkey' });
    expect(a.plan.nodes.every((n) => n.exclusiveMs === null)).toBe(true);
    expect(a.findings).toEqual([]);
  });

  it('reads EXPLAIN (COSTS OFF) and TIMING OFF forms', () => {
    const noCosts = parsePlan(['Sort', '  Sort Key: created_at DESC', '  ->  Seq Scan on orders', "        Filter: (status = 'pending'::text)"].join('\n'));
    expect(noCosts.root.nodeType).toBe('Sort');
    expect(noCosts.root.children[0]?.filter).toBe("(status = 'pending'::text)");
    const noTiming = parsePlan('Seq Scan on orders  (cost=0.00..1.00 rows=1 width=4) (actual rows=5 loops=2)\n');
    expect(noTiming.root).toMatchObject({ actualRows: 5, actualLoops: 2, actualTotalTimeMs: null });
  });

  it('keeps InitPlans, SubPlans and CTE labels apart and in order', () => {
    const plan = parsePlan(
      [
        'Result  (cost=2.00..2.01 rows=1 width=8) (actual time=0.1..0.1 rows=1 loops=1)',
        '  CTE c',
        '    ->  Seq Scan on a  (cost=0.00..1.00 rows=1 width=4) (actual time=0.01..0.01 rows=1 loops=1)',
        '  InitPlan 2 (returns $1)',
        '    ->  Limit  (cost=0.00..1.00 rows=1 width=4) (actual time=0.01..0.01 rows=1 loops=1)',
        '          ->  CTE Scan on c  (cost=0.00..1.00 rows=1 width=4) (actual time=0.01..0.01 rows=1 loops=1)',
        '  SubPlan 3',
        '    ->  Seq Scan on b  (cost=0.00..1.00 rows=1 width=4) (never executed)',
      ].join('\n'),
    );
    expect(plan.root.children.map((c) => [c.parentRelationship, c.subplanName, c.nodeType])).toEqual([
      ['InitPlan', 'CTE c', 'Seq Scan'],
      ['InitPlan', 'InitPlan 2 (returns $1)', 'Limit'],
      ['SubPlan', 'SubPlan 3', 'Seq Scan'],
    ]);
    expect(plan.root.children[2]?.neverExecuted).toBe(true);
  });

  it('reads PostgreSQL 18 fractional rows, Index Searches and per-worker lines', () => {
    const plan = parsePlan(
      [
        'Gather  (cost=0.00..10.00 rows=10 width=4) (actual time=0.5..2.0 rows=10.00 loops=1)',
        '  Workers Planned: 2',
        '  Workers Launched: 2',
        '  ->  Parallel Index Scan using t_pkey on t  (cost=0.00..9.00 rows=4 width=4) (actual time=0.1..1.0 rows=3.33 loops=3)',
        '        Index Cond: (id < 10)',
        '        Index Searches: 3',
        '        Worker 0:  actual time=0.1..1.1 rows=3.00 loops=1',
        '          Buffers: shared hit=3',
        '        Buffers: shared hit=9',
      ].join('\n'),
    );
    const scan = plan.root.children[0];
    expect(scan?.actualRows).toBe(3.33);
    expect(scan?.parallelAware).toBe(true);
    expect(scan?.workers).toEqual([{ workerNumber: 0, actualTotalTimeMs: 1.1, actualRows: 3, actualLoops: 1 }]);
    // the worker's own Buffers line is not the node's
    expect(scan?.buffers?.sharedHit).toBe(9);
    expect(plan.root.workersLaunched).toBe(2);
  });
});
