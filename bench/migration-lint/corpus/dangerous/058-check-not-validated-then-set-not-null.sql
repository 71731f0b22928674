SET lock_timeout = '1s';
SET statement_timeout = '5s';
-- the CHECK is never validated, so SET NOT NULL still scans under ACCESS EXCLUSIVE
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
