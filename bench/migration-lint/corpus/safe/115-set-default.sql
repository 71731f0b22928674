SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ALTER COLUMN is_active SET DEFAULT true;
COMMIT;
