SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE DOMAIN positive_amount AS numeric CHECK (VALUE > 0);
COMMIT;
