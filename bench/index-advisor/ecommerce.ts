/**
 * A deterministic e-commerce OLTP database and workload: 27 statement templates with realistic
 * call rates (per day), including some no index helps (full aggregates, small tables, <>,
 * primary-key lookups) and a write mix whose index maintenance the advisor must weigh: orders and
 * their lines inserted (300 and 750/min), orders shipped (200/min UPDATE of status), logins
 * recorded (500/min UPDATE of last_login), reviews written (20/min).
 */
export function ecommerceSchemaSql(scale: number): string {
  const users = Math.round(200_000 * scale);
  const products = Math.round(50_000 * scale);
  const orders = Math.round(1_000_000 * scale);
  const items = Math.round(2_500_000 * scale);
  const reviews = Math.round(300_000 * scale);
  return `
CREATE TABLE categories (id int PRIMARY KEY, parent_id int, name text NOT NULL);
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL, country char(2) NOT NULL,
  created_at timestamptz NOT NULL, last_login timestamptz);
CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL, name text NOT NULL, price numeric(10,2) NOT NULL,
  stock int NOT NULL, active boolean NOT NULL, attributes jsonb NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, total numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL);
CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL, product_id int NOT NULL, quantity int NOT NULL, unit_price numeric(10,2) NOT NULL);
CREATE TABLE reviews (id bigint PRIMARY KEY, product_id int NOT NULL, user_id bigint NOT NULL, rating int NOT NULL, body text, created_at timestamptz NOT NULL);
INSERT INTO categories SELECT g, CASE WHEN g > 10 THEN g % 10 + 1 END, 'category ' || g FROM generate_series(1, 100) g;
INSERT INTO users SELECT g, 'user' || g || '@example.com', 'User ' || g, (ARRAY['DE','FR','US','GB','NL','PL'])[g % 6 + 1],
  timestamptz '2022-01-01' + g * interval '7 minutes', timestamptz '2025-01-01' + ((g * 7919) % 525600) * interval '1 minute'
  FROM generate_series(1::bigint, ${users}) g;
INSERT INTO products SELECT g, g % 100 + 1, (ARRAY['blue','red','green','black','white','grey'])[g % 6 + 1] || ' ' ||
  (ARRAY['shirt','shoe','lamp','chair','mug','phone','desk','bag'])[g % 8 + 1] || ' ' || g, (g % 500) + 0.99, (g * 31) % 200,
  g % 20 <> 0, jsonb_build_object('color', (ARRAY['red','blue','green','black'])[g % 4 + 1], 'size', g % 5),
  timestamptz '2023-01-01' + g * interval '10 minutes' FROM generate_series(1::bigint, ${products}) g;
INSERT INTO orders SELECT g, (g * 7919) % ${users} + 1,
  CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 100 < 5 THEN 'cancelled' WHEN g % 100 < 12 THEN 'shipped' ELSE 'delivered' END,
  (g % 997) + 0.5, timestamptz '2024-01-01' + g * (interval '2 years' / ${orders}) FROM generate_series(1::bigint, ${orders}) g;
INSERT INTO order_items SELECT g, (g - 1) / 2.5 + 1, (g * 104729) % ${products} + 1, g % 4 + 1, (g % 300) + 0.5
  FROM generate_series(1::bigint, ${items}) g;
INSERT INTO reviews SELECT g, (g * 15485863) % ${products} + 1, (g * 7) % ${users} + 1, g % 5 + 1, 'review ' || g,
  timestamptz '2024-01-01' + g * interval '3 minutes' FROM generate_series(1::bigint, ${reviews}) g;
ANALYZE;`;
}

export interface Template {
  readonly name: string;
  /** calls per day */
  readonly calls: number;
  /** the statement with constants; i picks one of several constant sets */
  readonly sql: (i: number) => string;
}

export function ecommerceTemplates(scale: number): Template[] {
  const users = Math.round(200_000 * scale);
  const products = Math.round(50_000 * scale);
  const orders = Math.round(1_000_000 * scale);
  const u = (i: number): number => ((i * 7919 + 13) % users) + 1;
  const p = (i: number): number => ((i * 104729 + 7) % products) + 1;
  const o = (i: number): number => ((i * 15485863 + 3) % orders) + 1;
  const perMin = 1440;
  return [
    { name: 'user by email', calls: 1000 * perMin, sql: (i) => `SELECT * FROM users WHERE email = 'user${u(i)}@example.com'` },
    { name: 'user orders page', calls: 500 * perMin, sql: (i) => `SELECT id, status, total, created_at FROM orders WHERE user_id = ${u(i)} ORDER BY created_at DESC LIMIT 20` },
    { name: 'order items of an order', calls: 2000 * perMin, sql: (i) => `SELECT * FROM order_items WHERE order_id = ${o(i)}` },
    { name: 'pending orders queue', calls: 20 * perMin, sql: () => `SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 50` },
    { name: 'category page by price', calls: 300 * perMin, sql: (i) => `SELECT id, name, price FROM products WHERE category_id = ${(i % 100) + 1} AND active ORDER BY price LIMIT 24` },
    { name: 'product name search', calls: 50 * perMin, sql: (i) => `SELECT id, name FROM products WHERE name ILIKE '%${['blue', 'lamp', 'desk'][i % 3]}%' LIMIT 20` },
    { name: 'reviews of a product', calls: 200 * perMin, sql: (i) => `SELECT rating, body FROM reviews WHERE product_id = ${p(i)} ORDER BY created_at DESC LIMIT 10` },
    { name: 'average rating', calls: 100 * perMin, sql: (i) => `SELECT avg(rating) FROM reviews WHERE product_id = ${p(i)}` },
    { name: 'order count of a user', calls: 50 * perMin, sql: (i) => `SELECT count(*) FROM orders WHERE user_id = ${u(i)}` },
    { name: 'revenue of a day', calls: 240, sql: (i) => `SELECT count(*), sum(total) FROM orders WHERE created_at >= '2025-0${(i % 9) + 1}-01' AND created_at < '2025-0${(i % 9) + 1}-02'` },
    { name: 'login by lower(email)', calls: 200 * perMin, sql: (i) => `SELECT id FROM users WHERE lower(email) = 'user${u(i + 5)}@example.com'` },
    { name: 'top sellers (full aggregate)', calls: 24, sql: () => `SELECT product_id, sum(quantity) FROM order_items GROUP BY product_id ORDER BY 2 DESC LIMIT 10` },
    { name: 'count users (no index helps)', calls: perMin, sql: () => `SELECT count(*) FROM users` },
    { name: 'subcategories (small table)', calls: 100 * perMin, sql: (i) => `SELECT * FROM categories WHERE parent_id = ${(i % 10) + 1}` },
    { name: 'undelivered count (<>)', calls: 24, sql: () => `SELECT count(*) FROM orders WHERE status <> 'delivered'` },
    { name: 'order by primary key', calls: 1000 * perMin, sql: (i) => `SELECT * FROM orders WHERE id = ${o(i)}` },
    { name: 'recent orders of a country', calls: 120, sql: (i) => `SELECT o.id, o.total FROM orders o JOIN users u ON u.id = o.user_id WHERE u.country = '${['FR', 'NL'][i % 2]}' AND o.created_at > '2025-12-20'` },
    { name: 'low stock', calls: 10 * perMin, sql: (i) => `SELECT id, name FROM products WHERE stock < ${3 + (i % 3)} AND active` },
    { name: 'products by attribute', calls: 30 * perMin, sql: (i) => `SELECT id FROM products WHERE attributes @> '{"color": "${['red', 'blue'][i % 2]}"}' LIMIT 50` },
    { name: 'reviews of a user', calls: 20 * perMin, sql: (i) => `SELECT * FROM reviews WHERE user_id = ${u(i)}` },
    { name: 'order lines with product', calls: 1000 * perMin, sql: (i) => `SELECT p.name, oi.quantity FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id = ${o(i + 1)}` },
    { name: 'ship an order', calls: 200 * perMin, sql: (i) => `UPDATE orders SET status = 'shipped' WHERE id = ${o(i + 2)}` },
    { name: 'place an order', calls: 300 * perMin, sql: (i) => `INSERT INTO orders (id, user_id, status, total, created_at) VALUES (${orders + 1 + i}, ${u(i)}, 'pending', 10.5, now())` },
    { name: 'order lines of a new order', calls: 750 * perMin, sql: (i) => `INSERT INTO order_items (id, order_id, product_id, quantity, unit_price) VALUES (${Math.round(2_500_000 * scale) + 1 + i}, ${orders + 1 + i}, ${p(i)}, 1, 9.5)` },
    { name: 'write a review', calls: 20 * perMin, sql: (i) => `INSERT INTO reviews (id, product_id, user_id, rating, body, created_at) VALUES (${Math.round(300_000 * scale) + 1 + i}, ${p(i)}, ${u(i)}, 4, 'ok', now())` },
    { name: 'record a login', calls: 500 * perMin, sql: (i) => `UPDATE users SET last_login = now() WHERE id = ${u(i + 3)}` },
    { name: 'inactive users report', calls: 1, sql: () => `SELECT count(*) FROM users WHERE last_login < '2025-02-01'` },
  ];
}
