SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE is_active;
COMMIT;
