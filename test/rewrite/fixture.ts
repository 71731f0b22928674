/**
 * A scaled-down copy of the demo schema (DEMO-SCHEMA.md: same names and types) plus three small
 * tables for the NOT IN traps. Deterministic data: users 501–600 have no orders, some countries
 * and event users are NULL, banned_countries holds a NULL.
 */
export const REWRITE_FIXTURE_SQL = `
CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories(id), name text NOT NULL);
CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id),
  name text NOT NULL, price numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, description text);
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL, name text NOT NULL,
  created_at timestamptz NOT NULL, is_active boolean NOT NULL DEFAULT true, country char(2));
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id),
  status text NOT NULL, created_at timestamptz NOT NULL, total numeric(12,2) NOT NULL, shipping_address_id bigint, shipping_address text);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, event_type text NOT NULL, data jsonb,
  created_at timestamptz NOT NULL);
CREATE TABLE payments (id VARCHAR(255) PRIMARY KEY, amount VARCHAR(50), created_at VARCHAR(100), order_id bigint);
CREATE TABLE banned_countries (country char(2));
CREATE TABLE blocked_users (user_id bigint NOT NULL);

INSERT INTO categories SELECT g, NULL, 'root ' || g FROM generate_series(1, 10) g;
INSERT INTO categories SELECT g, 1 + g % 10, 'category ' || g FROM generate_series(11, 100) g;
INSERT INTO products SELECT g, 1 + (g * 7) % 100, 'product ' || g, round(((g * 37) % 997) / 7.0 + 1, 2),
  timestamptz '2024-01-01 00:00+00' + g * interval '53 minutes', CASE WHEN g % 3 = 0 THEN NULL ELSE 'text ' || g END
  FROM generate_series(1, 1500) g;
INSERT INTO users (email, name, created_at, is_active, country)
  SELECT 'user' || g || '@example.com', 'User ' || g, timestamptz '2023-06-01 00:00+00' + g * interval '7 hours', g % 9 <> 0,
         (ARRAY['US', 'DE', 'FR', NULL, 'BR'])[1 + g % 5] FROM generate_series(1, 600) g;
INSERT INTO orders (user_id, status, created_at, total, shipping_address)
  SELECT 1 + (g * 13) % 500,
         CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 50 = 1 THEN 'cancelled' WHEN g % 10 = 2 THEN 'shipped' ELSE 'delivered' END,
         timestamptz '2024-01-01 00:00+00' + g * interval '37 minutes', round(((g * 31) % 997) + 0.99, 2), g || ' Main Street'
  FROM generate_series(1, 3000) g;
INSERT INTO events (user_id, event_type, created_at)
  SELECT CASE WHEN g % 7 = 0 THEN NULL ELSE 1 + g % 600 END, (ARRAY['view', 'click', 'buy'])[1 + g % 3],
         timestamptz '2024-01-01 00:00+00' + g * interval '11 minutes' FROM generate_series(1, 3000) g;
INSERT INTO payments SELECT 'pay-' || g, ((g * 17) % 400)::text || '.50', '2024-01-0' || (1 + g % 9), g FROM generate_series(1, 300) g;
INSERT INTO banned_countries VALUES ('FR'), (NULL);
INSERT INTO blocked_users VALUES (3), (7), (11);
ANALYZE;
`;
