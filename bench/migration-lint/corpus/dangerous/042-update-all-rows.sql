SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
UPDATE users SET is_active = true;
COMMIT;
