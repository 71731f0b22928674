-- knex runs each migration in a transaction unless config.transaction = false
BEGIN;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);
COMMIT;
