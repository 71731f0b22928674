SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
COMMIT;
