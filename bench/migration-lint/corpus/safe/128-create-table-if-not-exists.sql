SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE TABLE IF NOT EXISTS feature_flags (name text PRIMARY KEY, enabled boolean NOT NULL DEFAULT false);
COMMIT;
