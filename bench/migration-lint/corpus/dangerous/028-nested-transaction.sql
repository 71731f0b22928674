SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
BEGIN;
ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;
COMMIT;
COMMIT;
