SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE INDEX users_email_idx ON users (email);
COMMIT;
