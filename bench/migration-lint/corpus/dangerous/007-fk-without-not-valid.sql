SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
COMMIT;
