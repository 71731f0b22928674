import type { PlanScenario } from './scenarios.ts';

const SERIAL = { max_parallel_workers_per_gather: '0' };

/**
 * Statements whose plans used to draw wrong tips (misestimates on nodes that report no rows or
 * stopped early, pre-aggregation for a LIMIT 1 group) or none where one was due (function rescans,
 * = ANY joins, per-row function cost, a sort an index removes); per-partition UPDATE/DELETE print
 * the target lines pasted plans carry.
 */
export const TIP_TRUST_SCENARIOS: readonly PlanScenario[] = [
  {
    name: 'partition-update',
    settings: SERIAL,
    sql: `UPDATE measurements SET value = value + 1 WHERE region = 'north'`,
    writes: true,
    must: [],
    // ModifyTable without RETURNING always reports 0 rows: not an overestimate
    mustNot: ['plan-row-misestimate'],
  },
  {
    name: 'partition-delete',
    settings: SERIAL,
    sql: `DELETE FROM measurements WHERE logdate < '2023-03-01' OR logdate >= '2026-10-01'`,
    writes: true,
    must: [],
    mustNot: ['plan-row-misestimate'],
  },
  {
    name: 'bitmap-and',
    settings: { ...SERIAL, enable_seqscan: 'off', enable_indexscan: 'off' },
    sql: `SELECT * FROM bm WHERE a = 5 AND b = 7`,
    must: [],
    // BitmapAnd/BitmapOr always report 0 rows
    mustNot: ['plan-row-misestimate'],
  },
  {
    name: 'bitmap-or',
    settings: { ...SERIAL, enable_seqscan: 'off', enable_indexscan: 'off' },
    sql: `SELECT count(*) FROM bm WHERE a = 5 OR b = 7`,
    must: [],
    mustNot: ['plan-row-misestimate'],
  },
  {
    name: 'cte-early-stop',
    settings: SERIAL,
    sql: `WITH o AS MATERIALIZED (SELECT * FROM orders) SELECT count(*) FROM users WHERE EXISTS (SELECT 1 FROM o WHERE o.status = 'delivered')`,
    must: [],
    // the CTE stopped after its first matching row: fewer rows than planned is not a misestimate
    mustNot: ['plan-row-misestimate'],
  },
  {
    name: 'function-scan-rescan',
    settings: SERIAL,
    sql: `SELECT u.id, g FROM users u CROSS JOIN LATERAL generate_series(1, 1 + u.id::int % 3) g`,
    must: ['plan-function-rescan'],
    mustNot: ['plan-row-misestimate'],
  },
  {
    name: 'join-filter-any-array',
    settings: { ...SERIAL, enable_indexscan: 'off', enable_bitmapscan: 'off', enable_material: 'off' },
    sql: `SELECT count(*) FROM users u JOIN products p ON p.id = ANY (ARRAY[u.id::int % 5000, (u.id::int + 7) % 5000]) WHERE u.id < 400`,
    must: ['plan-join-filter-any-array'],
    mustNot: [],
  },
  {
    name: 'plpgsql-per-row',
    settings: SERIAL,
    sql: `INSERT INTO audit_log (row_id, note) SELECT id, price_with_tax(total)::text FROM orders WHERE id <= 60000`,
    writes: true,
    must: ['plan-function-per-row'],
    mustNot: ['plan-row-misestimate'],
  },
  {
    name: 'limit-one-join',
    settings: SERIAL,
    // the one group comes from LIMIT 1: aggregating all events by type first would not help
    sql: `SELECT t.event_type, count(e.id) FROM (SELECT event_type FROM events GROUP BY event_type ORDER BY count(*) DESC LIMIT 1) t JOIN events e ON e.event_type = t.event_type GROUP BY t.event_type`,
    must: [],
    mustNot: ['plan-aggregate-after-join', 'plan-row-misestimate'],
  },
  {
    name: 'sort-by-index',
    settings: SERIAL,
    sql: `SELECT * FROM events WHERE event_type = 'buy' ORDER BY user_id, created_at`,
    must: ['plan-sort-by-index'],
    mustNot: ['plan-sort-limit'],
  },
];
