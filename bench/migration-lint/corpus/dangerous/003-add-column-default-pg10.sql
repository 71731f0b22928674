-- pg-version: 10
SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';
COMMIT;
