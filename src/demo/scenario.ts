/**
 * The seed scenarios as a real schema with deterministic, skewed data. Random values come from
 * hashint8(), so every run builds the same rows. Sizes scale linearly with `scale`.
 */
export interface ScenarioStep {
  readonly label: string;
  readonly sql: string;
}

export const DEMO_VERSION = 1;

export function scenarioSteps(scale: number): ScenarioStep[] {
  const n = (base: number): number => Math.max(100, Math.round(base * scale));
  const users = n(100_000);
  const orders = n(1_000_000);
  const items = n(1_500_000);
  const products = n(10_000);
  const posts = n(200_000);
  const comments = n(500_000);
  const likes = n(1_000_000);
  const events = n(500_000);
  const sessions = n(100_000);
  const legacy = n(50_000);
  const payments = n(100_000);
  return [
    {
      label: 'schema',
      sql: `
CREATE OR REPLACE FUNCTION demo_rand(i bigint, salt int) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT (hashint8(i * 1000003 + salt)::int8 & 2147483647)::float8 / 2147483648.0 $$;
CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories(id), name text NOT NULL);
CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id),
  name text NOT NULL, price numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, description text);
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL, name text NOT NULL,
  created_at timestamptz NOT NULL, is_active boolean NOT NULL DEFAULT true, country char(2));
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id),
  status text NOT NULL, created_at timestamptz NOT NULL, total numeric(12,2) NOT NULL,
  shipping_address_id bigint, shipping_address text);
CREATE TABLE order_items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id),
  product_id int NOT NULL REFERENCES products(id), quantity int NOT NULL, unit_price numeric(10,2) NOT NULL);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), title text, content text, created_at timestamptz);
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts(id), user_id bigint NOT NULL REFERENCES users(id),
  content text, created_at timestamptz);
CREATE TABLE likes (id bigint PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts(id), user_id bigint NOT NULL REFERENCES users(id));
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, event_type text NOT NULL, data jsonb,
  created_at timestamptz NOT NULL);
CREATE TABLE sessions (id uuid PRIMARY KEY, user_id bigint, data jsonb, updated_at timestamptz, expires_at timestamptz);
CREATE TABLE legacy_orders (id SERIAL PRIMARY KEY, customer_name VARCHAR(255), customer_email VARCHAR(255), customer_phone VARCHAR(50),
  customer_address TEXT, product_name VARCHAR(255), product_price DECIMAL(10,2), product_category VARCHAR(100), quantity INT, order_date TIMESTAMP);
CREATE TABLE payments (id VARCHAR(255) PRIMARY KEY, amount VARCHAR(50), created_at VARCHAR(100), order_id bigint);`,
    },
    {
      label: `categories (500) and products (${products})`,
      sql: `
INSERT INTO categories SELECT g, NULL, 'Department ' || g FROM generate_series(1, 20) g;
INSERT INTO categories SELECT g, 1 + (g % 20), 'Category ' || g FROM generate_series(21, 120) g;
INSERT INTO categories SELECT g, 21 + (g % 100), 'Subcategory ' || g FROM generate_series(121, 500) g;
INSERT INTO products
SELECT g, 21 + floor(power(demo_rand(g, 1), 1.5) * 480)::int, 'Product ' || g,
       round((2 + demo_rand(g, 2) * 300)::numeric, 2),
       timestamptz '2022-01-01' + (demo_rand(g, 3) * 1200) * interval '1 day',
       'Description of product ' || g
FROM generate_series(1, ${products}) g;`,
    },
    {
      label: `users (${users})`,
      sql: `
INSERT INTO users (email, name, created_at, is_active, country)
SELECT 'user' || g || '@example.com', 'User ' || g,
       timestamptz '2022-01-01' + (g::float8 / ${users}) * interval '1250 days',
       demo_rand(g, 4) > 0.1, (ARRAY['US','DE','FR','KR','JP','BR','IN','GB'])[1 + (g % 8)]
FROM generate_series(1, ${users}) g;`,
    },
    {
      label: `orders (${orders})`,
      sql: `
INSERT INTO orders (user_id, status, created_at, total, shipping_address_id, shipping_address)
SELECT 1 + floor(power(demo_rand(g, 5), 2.5) * ${users})::bigint,
       CASE WHEN r < 0.90 THEN 'delivered' WHEN r < 0.95 THEN 'shipped' WHEN r < 0.99 THEN 'cancelled' ELSE 'pending' END,
       timestamptz '2023-01-01' + (g::float8 / ${orders}) * interval '730 days' + demo_rand(g, 7) * interval '2 hours',
       round((5 + demo_rand(g, 8) * 495)::numeric, 2),
       g % 50000,
       (1 + g % 997) || ' ' || (ARRAY['Main St','Oak Ave','Pine Rd','Maple Dr','Cedar Ln','Elm St','Lake View','Hill Rd'])[1 + (g % 8)] ||
         ', ' || (ARRAY['Springfield','Riverside','Fairview','Madison','Georgetown','Salem'])[1 + (g % 6)]
FROM (SELECT g, demo_rand(g, 6) AS r FROM generate_series(1, ${orders}) g) s;
CREATE INDEX orders_user_id_idx ON orders (user_id);`,
    },
    {
      label: `order items (${items})`,
      sql: `
INSERT INTO order_items (order_id, product_id, quantity, unit_price)
SELECT 1 + ((g - 1) % ${orders}), 1 + floor(power(demo_rand(g, 9), 2) * ${products})::int, 1 + (g % 5),
       round((2 + demo_rand(g, 10) * 300)::numeric, 2)
FROM generate_series(1, ${items}) g;`,
    },
    {
      label: `posts (${posts}), comments (${comments}), likes (${likes})`,
      sql: `
INSERT INTO posts SELECT g, 1 + floor(power(demo_rand(g, 11), 2) * ${users})::bigint, 'Post ' || g, repeat('lorem ipsum ', 10),
       timestamptz '2024-01-01' + (g::float8 / ${posts}) * interval '500 days' FROM generate_series(1, ${posts}) g;
INSERT INTO comments SELECT g, 1 + floor(power(demo_rand(g, 12), 2) * ${posts})::bigint, 1 + floor(demo_rand(g, 13) * ${users})::bigint,
       'Comment ' || g, timestamptz '2024-01-01' + (g::float8 / ${comments}) * interval '500 days' FROM generate_series(1, ${comments}) g;
INSERT INTO likes SELECT g, 1 + floor(power(demo_rand(g, 14), 2) * ${posts})::bigint, 1 + floor(demo_rand(g, 15) * ${users})::bigint
FROM generate_series(1, ${likes}) g;
CREATE INDEX comments_post_id_idx ON comments (post_id);
CREATE INDEX likes_post_id_idx ON likes (post_id);`,
    },
    {
      label: `events (${events}) and sessions (${sessions})`,
      sql: `
INSERT INTO events (user_id, event_type, data, created_at)
SELECT 1 + floor(demo_rand(g, 16) * ${users})::bigint,
       (ARRAY['page_view','click','search','add_to_cart','checkout','login','logout','signup'])[1 + floor(power(demo_rand(g, 17), 2) * 8)::int],
       jsonb_build_object('page', '/p/' || (g % 1000), 'ms', (demo_rand(g, 18) * 900)::int),
       timestamptz '2025-01-01' + (g::float8 / ${events}) * interval '300 days'
FROM generate_series(1, ${events}) g;
INSERT INTO sessions SELECT md5(g::text)::uuid, 1 + (g % ${users}), jsonb_build_object('cart', g % 7),
       timestamptz '2025-10-01' + demo_rand(g, 19) * interval '30 days', timestamptz '2025-11-01' + demo_rand(g, 20) * interval '30 days'
FROM generate_series(1, ${sessions}) g;`,
    },
    {
      label: `the seed's denormalized legacy_orders (${legacy}) and badly typed payments (${payments})`,
      sql: `
INSERT INTO legacy_orders (customer_name, customer_email, customer_phone, customer_address, product_name, product_price, product_category, quantity, order_date)
SELECT 'Customer ' || c, 'customer' || c || '@example.com', '+1-555-' || lpad(c::text, 4, '0'), c || ' Market St',
       'Product ' || p, round((5 + (p % 200))::numeric, 2), 'Category ' || (p % 12), 1 + (g % 4),
       timestamp '2024-01-01' + (g::float8 / ${legacy}) * interval '365 days'
FROM (SELECT g, 1 + (hashint4(g) & 4095) AS c, 1 + (hashint4(g * 7) & 1023) AS p FROM generate_series(1, ${legacy}) g) s;
INSERT INTO payments SELECT 'pay_' || g, round((5 + demo_rand(g, 21) * 495)::numeric, 2)::text,
       (timestamp '2024-01-01' + (g::float8 / ${payments}) * interval '365 days')::text, 1 + (g % ${orders})
FROM generate_series(1, ${payments}) g;`,
    },
    {
      label: 'planted indexes and statistics',
      sql: `
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX users_email_idx2 ON users (email);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE db_optimize_demo (id int PRIMARY KEY, version int NOT NULL, scale float8 NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO db_optimize_demo (id, version, scale) VALUES (1, ${DEMO_VERSION}, ${scale});`,
    },
    { label: 'VACUUM ANALYZE', sql: 'VACUUM ANALYZE' },
  ];
}
