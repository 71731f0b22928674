SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE payments ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
COMMIT;
