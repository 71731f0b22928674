-- the PostgreSQL 12+ recipe (strong_migrations 'setting NOT NULL'): SET NOT NULL trusts the validated CHECK
SET lock_timeout = '1s';
ALTER TABLE users ADD CONSTRAINT users_email_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_null;
