SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE payments ADD CONSTRAINT payments_pkey PRIMARY KEY USING INDEX payments_id_key;
COMMIT;
