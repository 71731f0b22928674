SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE sessions ADD COLUMN seq bigserial PRIMARY KEY;
COMMIT;
