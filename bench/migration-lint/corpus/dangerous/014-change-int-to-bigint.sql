SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE events ALTER COLUMN id TYPE bigint;
COMMIT;
