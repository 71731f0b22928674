SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
COMMIT;
