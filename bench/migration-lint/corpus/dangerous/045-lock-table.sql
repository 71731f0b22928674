SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;
UPDATE orders SET status = 'cancelled' WHERE status = 'pending' AND created_at < '2020-01-01';
COMMIT;
