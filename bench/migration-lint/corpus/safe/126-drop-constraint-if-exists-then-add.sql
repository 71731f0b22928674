SET lock_timeout = '1s';
SET statement_timeout = '5s';
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('pending','shipped','delivered','cancelled')) NOT VALID;
