SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ADD COLUMN IF NOT EXISTS tier text;
UPDATE users SET tier = 'free' WHERE tier IS NULL;
COMMIT;
