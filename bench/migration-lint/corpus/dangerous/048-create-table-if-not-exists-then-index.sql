SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE TABLE IF NOT EXISTS audit_log (id bigint PRIMARY KEY, user_id bigint, at timestamptz);
CREATE INDEX audit_log_user_idx ON audit_log (user_id);
COMMIT;
