/**
 * Hand-written reference index sets: what a careful DBA would create for each workload after
 * reading its statements and call rates (written before looking at any advisor's output). They
 * follow the usual rules: one composite per access path with equality before range/order,
 * partial indexes for a fixed status, GIN with the narrowest operator class, no index on a column
 * a hot UPDATE writes (users.last_login), nothing on small tables or for once-a-day scans.
 */
export const DBA_ECOMMERCE: readonly string[] = [
  'CREATE INDEX ON users (email)',
  'CREATE INDEX ON users (lower(email))',
  'CREATE INDEX ON orders (user_id, created_at DESC)',
  'CREATE INDEX ON order_items (order_id)',
  `CREATE INDEX ON orders (created_at) WHERE status = 'pending'`,
  'CREATE INDEX ON products (category_id, price) WHERE active',
  'CREATE INDEX ON reviews (product_id, created_at DESC)',
  'CREATE INDEX ON reviews (user_id)',
  'CREATE INDEX ON orders (created_at)',
  'CREATE INDEX ON products USING gin (attributes jsonb_path_ops)',
  'CREATE INDEX ON products USING gin (name gin_trgm_ops)',
];

/** TPC-H: the foreign keys of the big tables and the date columns the queries range over. */
export const DBA_TPCH: readonly string[] = [
  'CREATE INDEX ON lineitem (l_partkey)',
  'CREATE INDEX ON lineitem (l_suppkey)',
  'CREATE INDEX ON lineitem (l_shipdate)',
  'CREATE INDEX ON orders (o_custkey)',
  'CREATE INDEX ON orders (o_orderdate)',
  'CREATE INDEX ON part (p_brand, p_container)',
  'CREATE INDEX ON customer (c_mktsegment)',
  'CREATE INDEX ON customer (c_phone text_pattern_ops)',
];
