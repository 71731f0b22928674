SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);
COMMIT;
