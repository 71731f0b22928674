-- GitLab add_concurrent_index, then the constraint on the built index
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_username_key ON users (username);
ALTER TABLE users ADD CONSTRAINT users_username_key UNIQUE USING INDEX users_username_key;
