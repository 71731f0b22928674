SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE users ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
COMMIT;
