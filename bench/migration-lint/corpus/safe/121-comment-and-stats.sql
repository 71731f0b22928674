SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
COMMENT ON COLUMN users.tier IS 'billing tier';
ALTER TABLE orders ALTER COLUMN status SET STATISTICS 500;
COMMIT;
