SET lock_timeout = '1s';
SET statement_timeout = '5s';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);
