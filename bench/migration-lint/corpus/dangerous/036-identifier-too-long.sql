SET lock_timeout = '1s';
SET statement_timeout = '5s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_status_total_shipping_address_covering_idx ON orders (user_id, created_at);
