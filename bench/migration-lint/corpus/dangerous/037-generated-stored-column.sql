SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE order_items ADD COLUMN line_total numeric GENERATED ALWAYS AS (quantity * unit_price) STORED;
COMMIT;
