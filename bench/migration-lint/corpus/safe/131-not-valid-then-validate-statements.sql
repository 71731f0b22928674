-- two statements without BEGIN: two transactions; VALIDATE takes SHARE UPDATE EXCLUSIVE only
SET lock_timeout = '1s';
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fk;
