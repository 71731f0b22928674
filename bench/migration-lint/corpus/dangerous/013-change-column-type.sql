SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);
COMMIT;
