SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
DROP INDEX users_email_idx;
COMMIT;
