SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
COMMIT;
