SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
DROP TABLE IF EXISTS legacy_orders CASCADE;
COMMIT;
