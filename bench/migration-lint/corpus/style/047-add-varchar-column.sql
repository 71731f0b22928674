SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ADD COLUMN IF NOT EXISTS phone varchar(32);
COMMIT;
