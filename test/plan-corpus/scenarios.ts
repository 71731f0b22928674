/**
 * The plan corpus: a small users/orders world (the demo's shape, scaled down) and the statements
 * whose EXPLAIN ANALYZE output is captured from PostgreSQL 15 and 18 as golden files.
 */
import { TIP_TRUST_SCENARIOS } from './tip-trust-scenarios.ts';

export interface PlanScenario {
  readonly name: string;
  /** session settings for this statement only (SET LOCAL inside the capture transaction) */
  readonly settings?: Readonly<Record<string, string>>;
  readonly sql: string;
  /** rules each captured plan must produce (unless the server could not show the feature) */
  readonly must: readonly string[];
  readonly mustNot: readonly string[];
  /** the statement writes: captured inside BEGIN … ROLLBACK */
  readonly writes?: boolean;
  /** only capture when the server can (e.g. JIT needs LLVM) */
  readonly needs?: 'jit';
}

export const FIXTURE_SQL = `
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL, name text NOT NULL,
  created_at timestamptz NOT NULL, is_active boolean NOT NULL DEFAULT true, country char(2));
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id),
  status text NOT NULL, created_at timestamptz NOT NULL, total numeric(12,2) NOT NULL, shipping_address_id bigint, shipping_address text);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE INDEX users_email_idx ON users (email);
INSERT INTO users (email, name, created_at, is_active, country)
  SELECT 'user' || g || '@example.com', 'User ' || g, timestamptz '2022-01-01' + (g * interval '1 hour') / 2, g % 10 <> 0,
         (ARRAY['US','DE','FR','GB','JP'])[1 + g % 5]
  FROM generate_series(1, 20000) g;
INSERT INTO orders (user_id, status, created_at, total, shipping_address_id, shipping_address)
  SELECT 1 + (hashint4(g) & 2147483647) % 20000,
         CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 100 < 4 THEN 'cancelled' WHEN g % 100 < 10 THEN 'shipped' ELSE 'delivered' END,
         timestamptz '2022-01-01' + g * interval '5 minutes', (g % 997) + 0.99, g % 5000, g || ' Main Street'
  FROM generate_series(1, 200000) g;
CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories(id), name text NOT NULL);
INSERT INTO categories SELECT g, CASE WHEN g <= 10 THEN NULL ELSE 1 + g % 10 END, 'cat ' || g FROM generate_series(1, 200) g;
CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id), name text NOT NULL,
  price numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, description text);
INSERT INTO products SELECT g, 1 + g % 200, 'product ' || g, (g % 500) + 0.5, timestamptz '2023-01-01' + g * interval '1 hour', 'd'
  FROM generate_series(1, 5000) g;
CREATE TABLE corr (a int, b int, pad text);
INSERT INTO corr SELECT g % 100, g % 100, 'x' FROM generate_series(1, 50000) g;
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, event_type text NOT NULL, data jsonb, created_at timestamptz NOT NULL);
INSERT INTO events (user_id, event_type, data, created_at)
  SELECT g % 20000, (ARRAY['view','click','buy'])[1 + g % 3], '{}'::jsonb, timestamptz '2024-01-01' + g * interval '10 seconds' FROM generate_series(1, 200000) g;
CREATE INDEX events_created_at_idx ON events (created_at);
CREATE TABLE measurements (id bigint, region text NOT NULL, logdate date NOT NULL, value numeric) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO measurements SELECT g, (ARRAY['north','south','east','west'])[1 + g % 4], date '2023-01-01' + (g % 1400), g % 100 FROM generate_series(1, 40000) g;
CREATE TABLE parents (id int PRIMARY KEY, v int);
CREATE TABLE children (id int PRIMARY KEY, parent_id int REFERENCES parents(id) ON DELETE CASCADE, v int);
INSERT INTO parents SELECT g, g FROM generate_series(1, 2000) g;
INSERT INTO children SELECT g, 1 + g % 2000, g FROM generate_series(1, 100000) g;
CREATE TABLE audited (id int PRIMARY KEY, v int);
CREATE TABLE audit_log (id bigserial, row_id int, at timestamptz DEFAULT now(), note text);
INSERT INTO audited SELECT g, g FROM generate_series(1, 3000) g;
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM count(*) FROM audit_log WHERE row_id = NEW.id;
  INSERT INTO audit_log (row_id, note) VALUES (NEW.id, repeat('x', 20));
  RETURN NEW;
END $$;
CREATE TRIGGER audited_audit AFTER UPDATE ON audited FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TABLE fresh (id int, v int);
INSERT INTO fresh SELECT g, g % 1000 FROM generate_series(1, 50000) g;
CREATE INDEX fresh_id_v_idx ON fresh (id, v);
CREATE TABLE tiny1 (id int PRIMARY KEY, v int); CREATE TABLE tiny2 (id int PRIMARY KEY, v int); CREATE TABLE tiny3 (id int PRIMARY KEY, v int);
CREATE TABLE tiny4 (id int PRIMARY KEY, v int); CREATE TABLE tiny5 (id int PRIMARY KEY, v int); CREATE TABLE tiny6 (id int PRIMARY KEY, v int);
CREATE TABLE bm (id int, a int, b int, pad text);
INSERT INTO bm SELECT g, g % 50, g % 70, 'x' FROM generate_series(1, 100000) g;
CREATE INDEX bm_a_idx ON bm (a); CREATE INDEX bm_b_idx ON bm (b);
CREATE FUNCTION price_with_tax(p numeric) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE r numeric;
BEGIN
  r := round(p * 1.2, 2);
  IF r < 0 THEN RAISE EXCEPTION 'negative'; END IF;
  RETURN r;
END $$;
ANALYZE bm;
ANALYZE users, orders, categories, products, corr, events, measurements, parents, children, audited, tiny1, tiny2, tiny3, tiny4, tiny5, tiny6;
`;

/** run one by one: VACUUM cannot run in the implicit transaction of a multi-statement query */
export const VACUUM_SQL = ['VACUUM ANALYZE users', 'VACUUM ANALYZE orders'];


/** fresh is deliberately not vacuumed, so its index-only scans fetch from the heap */
export const AFTER_FIXTURE_SQL = `UPDATE fresh SET v = v + 1 WHERE id % 2 = 0; ANALYZE fresh;`;

const PARALLEL = { max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' };
const SERIAL = { max_parallel_workers_per_gather: '0' };

export const SCENARIOS: readonly PlanScenario[] = [
  {
    name: 'seed-report',
    settings: SERIAL,
    sql: `SELECT u.*, COUNT(o.id) AS order_count, SUM(o.total) AS total_spent FROM users u LEFT JOIN orders o ON u.id = o.user_id WHERE u.created_at > '2022-06-01' GROUP BY u.id ORDER BY total_spent DESC LIMIT 100`,
    must: ['plan-aggregate-after-join'],
    mustNot: ['plan-seq-scan-filter', 'plan-planning-time'],
  },
  {
    name: 'seed-report-parallel',
    settings: PARALLEL,
    sql: `SELECT u.*, COUNT(o.id) AS order_count, SUM(o.total) AS total_spent FROM users u LEFT JOIN orders o ON u.id = o.user_id WHERE u.created_at > '2022-06-01' GROUP BY u.id ORDER BY total_spent DESC LIMIT 100`,
    must: [],
    mustNot: ['plan-seq-scan-filter', 'plan-workers-not-launched'],
  },
  {
    name: 'seed-report-nested-loop',
    settings: { ...PARALLEL, enable_hashjoin: 'off', enable_mergejoin: 'off' },
    sql: `SELECT u.*, COUNT(o.id) AS order_count, SUM(o.total) AS total_spent FROM users u LEFT JOIN orders o ON u.id = o.user_id WHERE u.created_at > '2022-06-01' GROUP BY u.id ORDER BY total_spent DESC LIMIT 100`,
    must: ['plan-aggregate-after-join'],
    mustNot: ['plan-seq-scan-filter', 'plan-workers-not-launched'],
  },
  {
    name: 'seq-scan-filter',
    settings: SERIAL,
    sql: `SELECT * FROM orders WHERE status = 'pending'`,
    must: ['plan-seq-scan-filter'],
    mustNot: ['plan-index-filter', 'plan-sort-limit'],
  },
  {
    name: 'seq-scan-two-columns',
    settings: SERIAL,
    sql: `SELECT * FROM orders WHERE status = 'pending' AND created_at < '2022-06-01'`,
    must: ['plan-seq-scan-filter'],
    mustNot: ['plan-index-filter'],
  },
  {
    name: 'index-filter',
    settings: { ...SERIAL, enable_bitmapscan: 'off', enable_seqscan: 'off' },
    sql: `SELECT * FROM orders WHERE user_id BETWEEN 1 AND 3000 AND status = 'cancelled'`,
    must: ['plan-index-filter'],
    mustNot: ['plan-seq-scan-filter'],
  },
  {
    name: 'bitmap-filter',
    settings: { ...SERIAL, enable_seqscan: 'off', enable_indexscan: 'off' },
    sql: `SELECT * FROM orders WHERE user_id BETWEEN 1 AND 3000 AND status = 'pending'`,
    must: ['plan-index-filter'],
    mustNot: ['plan-seq-scan-filter', 'plan-lossy-bitmap'],
  },
  {
    name: 'misestimate-correlated',
    settings: SERIAL,
    sql: `SELECT * FROM corr WHERE a = 1 AND b = 1`,
    must: ['plan-row-misestimate'],
    mustNot: ['plan-disk-spill'],
  },
  {
    name: 'misestimate-join',
    settings: SERIAL,
    sql: `SELECT count(*) FROM corr c1 JOIN corr c2 ON c1.a = c2.a AND c1.b = c2.b WHERE c1.a = 5 AND c1.b = 5`,
    must: ['plan-row-misestimate'],
    mustNot: [],
  },
  {
    name: 'disk-sort',
    settings: { ...SERIAL, work_mem: '64kB' },
    sql: `SELECT * FROM orders ORDER BY total, id`,
    must: ['plan-disk-spill'],
    mustNot: ['plan-sort-limit'],
  },
  {
    name: 'hash-batches',
    settings: { ...SERIAL, work_mem: '64kB', enable_mergejoin: 'off', enable_nestloop: 'off' },
    sql: `SELECT u.email, o.total FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 500`,
    must: ['plan-disk-spill'],
    mustNot: [],
  },
  {
    name: 'hashagg-spill',
    settings: { ...SERIAL, work_mem: '64kB', enable_sort: 'off' },
    sql: `SELECT shipping_address_id, sum(total) FROM orders GROUP BY shipping_address_id`,
    must: ['plan-disk-spill'],
    mustNot: [],
  },
  {
    name: 'lossy-bitmap',
    settings: { ...SERIAL, work_mem: '64kB', enable_seqscan: 'off', enable_indexscan: 'off' },
    sql: `SELECT count(*) FROM events WHERE created_at BETWEEN '2024-01-05' AND '2024-01-20'`,
    must: ['plan-lossy-bitmap'],
    mustNot: ['plan-seq-scan-filter'],
  },
  {
    name: 'heap-fetches',
    settings: { ...SERIAL, enable_seqscan: 'off', enable_bitmapscan: 'off' },
    sql: `SELECT id, v FROM fresh WHERE id BETWEEN 1 AND 40000`,
    must: ['plan-heap-fetches'],
    mustNot: [],
  },
  {
    name: 'index-only-clean',
    settings: SERIAL,
    sql: `SELECT id FROM users WHERE id BETWEEN 100 AND 5000`,
    must: [],
    mustNot: ['plan-heap-fetches', 'plan-seq-scan-filter', 'plan-row-misestimate'],
  },
  {
    name: 'nested-loop-unindexed',
    settings: { ...SERIAL, enable_hashjoin: 'off', enable_mergejoin: 'off', enable_material: 'off' },
    sql: `SELECT p.id, c.name FROM products p JOIN categories c ON c.id = p.category_id AND c.name = 'cat ' || p.id % 7 WHERE p.id < 300`,
    must: [],
    mustNot: ['plan-seq-scan-filter'],
  },
  {
    name: 'nested-loop-seq-inner',
    settings: { ...SERIAL, enable_hashjoin: 'off', enable_mergejoin: 'off', enable_material: 'off', enable_memoize: 'off', enable_indexscan: 'off', enable_indexonlyscan: 'off', enable_bitmapscan: 'off' },
    sql: `SELECT c.id, p.name FROM categories c JOIN products p ON p.category_id = c.id WHERE c.id <= 40`,
    must: ['plan-nested-loop-inner-scan'],
    mustNot: [],
  },
  {
    name: 'sort-limit',
    settings: SERIAL,
    sql: `SELECT * FROM orders ORDER BY created_at DESC LIMIT 10`,
    must: ['plan-sort-limit'],
    mustNot: ['plan-disk-spill'],
  },
  {
    name: 'limit-by-index',
    settings: SERIAL,
    sql: `SELECT * FROM orders ORDER BY id DESC LIMIT 10`,
    must: [],
    mustNot: ['plan-sort-limit', 'plan-seq-scan-filter'],
  },
  {
    name: 'parallel-count',
    settings: PARALLEL,
    sql: `SELECT count(*) FROM orders WHERE total > 100`,
    must: [],
    mustNot: ['plan-workers-not-launched', 'plan-seq-scan-filter'],
  },
  {
    name: 'parallel-gather-merge',
    settings: PARALLEL,
    sql: `SELECT status, count(*) FROM orders GROUP BY status ORDER BY status`,
    must: [],
    mustNot: ['plan-workers-not-launched'],
  },
  {
    name: 'workers-not-launched',
    settings: { ...PARALLEL, max_parallel_workers: '0' },
    sql: `SELECT count(*) FROM orders WHERE total > 100`,
    must: ['plan-workers-not-launched'],
    mustNot: [],
  },
  {
    name: 'jit',
    settings: { ...SERIAL, jit: 'on', jit_above_cost: '0', jit_inline_above_cost: '0', jit_optimize_above_cost: '0' },
    sql: `SELECT sum(total * 2), avg(total + 1) FROM orders WHERE id < 2000`,
    must: ['plan-jit'],
    mustNot: [],
    needs: 'jit',
  },
  {
    name: 'planning-time',
    settings: { ...SERIAL, join_collapse_limit: '20', from_collapse_limit: '20', geqo_threshold: '20' },
    sql: `SELECT * FROM tiny1 a JOIN tiny2 b ON a.v = b.v JOIN tiny3 c ON b.v = c.v JOIN tiny4 d ON c.v = d.v JOIN tiny5 e ON d.v = e.v JOIN tiny6 f ON e.v = f.v
          JOIN tiny1 g ON f.v = g.v JOIN tiny2 h ON g.v = h.v JOIN tiny3 i ON h.v = i.v JOIN tiny4 j ON i.v = j.v JOIN tiny5 k ON j.v = k.v JOIN tiny6 l ON k.v = l.v`,
    must: ['plan-planning-time'],
    mustNot: ['plan-seq-scan-filter'],
  },
  {
    name: 'fk-cascade-trigger',
    settings: SERIAL,
    sql: `DELETE FROM parents WHERE id <= 200`,
    must: ['plan-slow-trigger'],
    mustNot: [],
    writes: true,
  },
  {
    name: 'plpgsql-trigger',
    settings: SERIAL,
    sql: `UPDATE audited SET v = v + 1 WHERE id <= 1500`,
    must: ['plan-slow-trigger'],
    mustNot: [],
    writes: true,
  },
  {
    name: 'insert-select',
    settings: SERIAL,
    sql: `INSERT INTO audit_log (row_id, note) SELECT id, 'n' FROM audited WHERE id <= 100`,
    must: [],
    mustNot: ['plan-slow-trigger', 'plan-seq-scan-filter'],
    writes: true,
  },
  {
    name: 'cte-fence',
    settings: SERIAL,
    sql: `WITH o AS MATERIALIZED (SELECT * FROM orders) SELECT * FROM o WHERE user_id = 42`,
    must: ['plan-cte-fence'],
    mustNot: [],
  },
  {
    name: 'cte-inlined',
    settings: SERIAL,
    sql: `WITH o AS (SELECT * FROM orders) SELECT * FROM o WHERE user_id = 42`,
    must: [],
    mustNot: ['plan-cte-fence', 'plan-seq-scan-filter'],
  },
  {
    name: 'cte-twice',
    settings: SERIAL,
    sql: `WITH s AS (SELECT user_id, sum(total) AS t FROM orders GROUP BY user_id) SELECT a.user_id FROM s a JOIN s b ON a.user_id = b.user_id + 1 WHERE a.t > 1000`,
    must: [],
    mustNot: ['plan-seq-scan-filter'],
  },
  {
    name: 'recursive-cte',
    settings: SERIAL,
    sql: `WITH RECURSIVE tree AS (SELECT id, parent_id, 1 AS depth FROM categories WHERE parent_id IS NULL UNION ALL SELECT c.id, c.parent_id, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id) SELECT depth, count(*) FROM tree GROUP BY depth`,
    must: [],
    mustNot: ['plan-seq-scan-filter'],
  },
  {
    name: 'initplan',
    settings: SERIAL,
    sql: `SELECT id, total FROM orders WHERE total > (SELECT avg(total) * 1.99 FROM orders) ORDER BY id LIMIT 20`,
    must: [],
    mustNot: ['plan-planning-time'],
  },
  {
    name: 'correlated-subplan',
    settings: SERIAL,
    sql: `SELECT * FROM products p WHERE p.category_id IN (SELECT c.id FROM categories c WHERE c.parent_id = 5) AND p.price < (SELECT AVG(price) FROM products WHERE category_id = p.category_id) ORDER BY p.created_at DESC`,
    must: ['plan-nested-loop-inner-scan'],
    mustNot: [],
  },
  {
    name: 'partitioned-pruned',
    settings: SERIAL,
    sql: `SELECT region, count(*) FROM measurements WHERE logdate >= '2025-06-01' AND logdate < '2025-07-01' GROUP BY region`,
    must: [],
    mustNot: ['plan-planning-time'],
  },
  {
    name: 'partitioned-all',
    settings: SERIAL,
    sql: `SELECT region, avg(value) FROM measurements WHERE value > 98 GROUP BY region`,
    must: ['plan-seq-scan-filter'],
    mustNot: [],
  },
  {
    name: 'expression-on-indexed-column',
    settings: SERIAL,
    sql: `SELECT * FROM users WHERE lower(email) = 'user42@example.com'`,
    must: ['plan-non-sargable-expression'],
    mustNot: [],
  },
  {
    name: 'cast-on-indexed-column',
    settings: SERIAL,
    sql: `SELECT * FROM events WHERE created_at::date = '2024-01-10'`,
    must: ['plan-non-sargable-expression'],
    mustNot: [],
  },
  {
    name: 'point-lookup',
    settings: SERIAL,
    sql: `SELECT * FROM users WHERE id = 42`,
    must: [],
    mustNot: ['plan-seq-scan-filter', 'plan-index-filter', 'plan-row-misestimate', 'plan-disk-spill', 'plan-sort-limit', 'plan-aggregate-after-join'],
  },
  {
    name: 'merge-join',
    settings: { ...SERIAL, enable_hashjoin: 'off', enable_nestloop: 'off' },
    sql: `SELECT count(*) FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id < 2000`,
    must: [],
    mustNot: ['plan-disk-spill'],
  },
  {
    name: 'memoize',
    settings: { ...SERIAL, enable_hashjoin: 'off', enable_mergejoin: 'off' },
    sql: `SELECT count(*) FROM orders o JOIN products p ON p.id = o.shipping_address_id WHERE o.id < 20000`,
    must: [],
    mustNot: [],
  },
  {
    name: 'window',
    settings: SERIAL,
    sql: `SELECT id, user_id, rank() OVER (PARTITION BY user_id ORDER BY total DESC) FROM orders WHERE user_id < 200`,
    must: [],
    mustNot: [],
  },
  {
    name: 'union-except',
    settings: SERIAL,
    sql: `SELECT user_id FROM orders WHERE status = 'pending' EXCEPT SELECT id FROM users WHERE is_active`,
    must: [],
    mustNot: [],
  },
  {
    name: 'not-exists-anti',
    settings: SERIAL,
    sql: `SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status = 'pending')`,
    must: [],
    mustNot: [],
  },
  ...TIP_TRUST_SCENARIOS,
];
