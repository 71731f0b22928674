SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
DROP TABLE legacy_orders;
COMMIT;
