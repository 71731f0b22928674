BEGIN;
SET LOCAL lock_timeout = '1s';
SET LOCAL statement_timeout = '5s';
ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;
COMMIT;
