-- the demo schema's shop tables at a tiny scale (see DEMO-SCHEMA.md)
CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories(id), name text NOT NULL);
CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id), name text NOT NULL,
  price numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, description text);
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL, name text NOT NULL,
  created_at timestamptz NOT NULL, is_active boolean NOT NULL DEFAULT true, country char(2));
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id),
  status text NOT NULL, created_at timestamptz NOT NULL, total numeric(12,2) NOT NULL, shipping_address_id bigint, shipping_address text);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE TABLE order_items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id),
  product_id int NOT NULL REFERENCES products(id), quantity int NOT NULL, unit_price numeric(10,2) NOT NULL);
INSERT INTO categories SELECT g, NULL, 'category ' || g FROM generate_series(1, 10) g;
INSERT INTO products SELECT g, g % 10 + 1, 'product ' || g, (g % 50) + 0.99, now() - g * interval '1 day', repeat('x', 50) FROM generate_series(1, 80) g;
INSERT INTO users (email, name, created_at, country) SELECT 'user' || g || '@example.com', 'User ' || g, now() - g * interval '1 day', 'FR' FROM generate_series(1, 30) g;
INSERT INTO orders (user_id, status, created_at, total) SELECT g % 30 + 1, 'delivered', now() - g * interval '1 hour', g * 1.5 FROM generate_series(1, 90) g;
INSERT INTO order_items (order_id, product_id, quantity, unit_price) SELECT g % 90 + 1, g % 80 + 1, 1 + g % 3, 9.99 FROM generate_series(1, 270) g;
ANALYZE;
