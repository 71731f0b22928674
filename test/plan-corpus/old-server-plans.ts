/**
 * Plans in the syntax of servers we cannot run here (8.x–13), written by hand after the shapes
 * seen in public plan collections: "Total runtime", lowercase times, unnumbered InitPlan and
 * SubPlan, "Subquery Scan name" without "on", inheritance targets under a ModifyTable. Tables and
 * numbers are ours. `tree` is the expected tree, one node per line, two spaces per level.
 */
export interface OldServerPlan {
  readonly name: string;
  readonly text: string;
  readonly tree: readonly string[];
  readonly executionTimeMs: number | null;
}

export const OLD_SERVER_PLANS: readonly OldServerPlan[] = [
  {
    name: '8.3: hash join with "Total runtime"',
    text: `
 Hash Join  (cost=1.09..2.21 rows=4 width=8) (actual time=0.038..0.046 rows=4 loops=1)
   Hash Cond: (a.id = b.a_id)
   ->  Seq Scan on a  (cost=0.00..1.04 rows=4 width=4) (actual time=0.005..0.007 rows=4 loops=1)
   ->  Hash  (cost=1.04..1.04 rows=4 width=8) (actual time=0.012..0.012 rows=4 loops=1)
         ->  Seq Scan on b  (cost=0.00..1.04 rows=4 width=8) (actual time=0.002..0.004 rows=4 loops=1)
 Total runtime: 0.093 ms
(6 rows)`,
    tree: ['Hash Join', '  Seq Scan a', '  Hash', '    Seq Scan b'],
    executionTimeMs: 0.093,
  },
  {
    name: '8.2: unnumbered InitPlan and SubPlan',
    text: `Seq Scan on parts p  (cost=0.02..2410.52 rows=500 width=12) (actual time=0.061..14.230 rows=480 loops=1)
  Filter: (price > $0)
  InitPlan
    ->  Limit  (cost=0.00..0.02 rows=1 width=4) (actual time=0.018..0.019 rows=1 loops=1)
          ->  Seq Scan on limits  (cost=0.00..22.00 rows=1200 width=4) (actual time=0.015..0.015 rows=1 loops=1)
  SubPlan
    ->  Aggregate  (cost=4.79..4.80 rows=1 width=4) (actual time=0.027..0.027 rows=1 loops=480)
          ->  Index Scan using stock_part_idx on stock s  (cost=0.00..4.78 rows=2 width=4) (actual time=0.008..0.021 rows=3 loops=480)
                Index Cond: (part_id = $1)
Total runtime: 14.402 ms`,
    tree: [
      'Seq Scan parts p',
      '  Limit [InitPlan]',
      '    Seq Scan limits',
      '  Aggregate [SubPlan]',
      '    Index Scan stock s',
    ],
    executionTimeMs: 14.402,
  },
  {
    name: '8.3: "Subquery Scan name" without "on"',
    text: `Sort  (cost=52.41..52.91 rows=200 width=40) (actual time=1.905..1.912 rows=37 loops=1)
  Sort Key: t.total
  Sort Method:  quicksort  Memory: 19kB
  ->  Subquery Scan t  (cost=38.26..44.76 rows=200 width=40) (actual time=1.810..1.851 rows=37 loops=1)
        ->  HashAggregate  (cost=38.26..42.76 rows=200 width=12) (actual time=1.807..1.830 rows=37 loops=1)
              ->  Seq Scan on invoices  (cost=0.00..28.50 rows=1950 width=12) (actual time=0.009..0.603 rows=1950 loops=1)
Total runtime: 2.011 ms`,
    tree: ['Sort', '  Subquery Scan t', '    Aggregate', '      Seq Scan invoices'],
    executionTimeMs: 2.011,
  },
  {
    name: '9.6: lowercase "Planning time" and "Execution time"',
    text: `Index Scan using accounts_pkey on accounts  (cost=0.29..8.31 rows=1 width=97) (actual time=0.017..0.018 rows=1 loops=1)
  Index Cond: (aid = 42)
Planning time: 0.122 ms
Execution time: 0.041 ms`,
    tree: ['Index Scan accounts'],
    executionTimeMs: 0.041,
  },
  {
    name: '9.5: DELETE on an inheritance parent lists every child as a target',
    text: `Delete on stock  (cost=0.00..66.50 rows=11 width=6) (actual time=0.412..0.412 rows=0 loops=1)
  Delete on stock
  Delete on stock_2001
  Delete on stock_2002
  ->  Seq Scan on stock  (cost=0.00..0.00 rows=1 width=6) (actual time=0.002..0.002 rows=0 loops=1)
        Filter: (qty = 0)
  ->  Seq Scan on stock_2001  (cost=0.00..33.25 rows=5 width=6) (actual time=0.010..0.180 rows=4 loops=1)
        Filter: (qty = 0)
        Rows Removed by Filter: 1496
  ->  Seq Scan on stock_2002  (cost=0.00..33.25 rows=5 width=6) (actual time=0.009..0.190 rows=6 loops=1)
        Filter: (qty = 0)
        Rows Removed by Filter: 1494
Planning time: 0.233 ms
Execution time: 0.455 ms`,
    tree: ['ModifyTable stock', '  Seq Scan stock', '  Seq Scan stock_2001', '  Seq Scan stock_2002'],
    executionTimeMs: 0.455,
  },
  {
    name: '9.2: nested loop with "Total runtime" and a psql footer',
    text: `                                   QUERY PLAN
--------------------------------------------------------------------------------
 Nested Loop  (cost=0.00..16.97 rows=1 width=68) (actual time=0.025..0.030 rows=1 loops=1)
   ->  Index Scan using users_pkey on users u  (cost=0.00..8.27 rows=1 width=36) (actual time=0.012..0.013 rows=1 loops=1)
         Index Cond: (id = 7)
   ->  Index Scan using profiles_user_idx on profiles p  (cost=0.00..8.68 rows=1 width=36) (actual time=0.008..0.010 rows=1 loops=1)
         Index Cond: (user_id = 7)
 Total runtime: 0.071 ms
(6 rows)

Time: 1.204 ms`,
    tree: ['Nested Loop', '  Index Scan users u', '  Index Scan profiles p'],
    executionTimeMs: 0.071,
  },
  {
    name: 'EXPLAIN without ANALYZE from 8.4, with a French footer',
    text: `                          QUERY PLAN
---------------------------------------------------------------
 Limit  (cost=0.00..0.35 rows=10 width=244)
   ->  Seq Scan on clients  (cost=0.00..458.00 rows=13000 width=244)
(2 lignes)`,
    tree: ['Limit', '  Seq Scan clients'],
    executionTimeMs: null,
  },
];
