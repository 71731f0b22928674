SET lock_timeout = '1s';
SET statement_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text;
CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);
