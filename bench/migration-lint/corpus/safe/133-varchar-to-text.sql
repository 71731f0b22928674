-- strong_migrations / PostgreSQL docs: varchar to text is binary-compatible (no rewrite); users.email is varchar(255)
SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ALTER COLUMN email TYPE text;
COMMIT;
