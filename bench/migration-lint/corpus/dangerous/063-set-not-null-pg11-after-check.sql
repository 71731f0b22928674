-- pg-version: 11
SET lock_timeout = '1s';
SET statement_timeout = '5s';
-- before 12, SET NOT NULL cannot use the validated CHECK and scans anyway
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
