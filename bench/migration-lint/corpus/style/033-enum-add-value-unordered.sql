SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
COMMIT;
