CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL, name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), is_active boolean NOT NULL DEFAULT true, country char(2));
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id),
  status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), total numeric(12,2) NOT NULL, shipping_address_id bigint, shipping_address text);
CREATE INDEX orders_user_id_idx ON orders (user_id);
INSERT INTO users (email, name) SELECT 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 20) g;
INSERT INTO orders (user_id, status, total) SELECT g % 20 + 1, 'delivered', g * 2.5 FROM generate_series(1, 60) g;
ANALYZE;
CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id),
  sku text NOT NULL, quantity int NOT NULL);
CREATE INDEX items_order_id_idx ON items (order_id);
INSERT INTO items (order_id, sku, quantity) SELECT g % 60 + 1, 'SKU-' || g, 1 + g % 3 FROM generate_series(1, 150) g;
ANALYZE items;
