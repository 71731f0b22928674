SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
COMMIT;
