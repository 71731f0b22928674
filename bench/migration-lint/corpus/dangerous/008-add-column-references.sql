SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
COMMIT;
