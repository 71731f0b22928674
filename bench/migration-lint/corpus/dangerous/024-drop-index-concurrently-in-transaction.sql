SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
COMMIT;
