-- strong_migrations: increasing numeric precision at the same scale does not rewrite; orders.total is numeric(12,2)
SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);
COMMIT;
