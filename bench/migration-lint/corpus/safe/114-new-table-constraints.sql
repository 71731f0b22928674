SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL, owner_id bigint);
ALTER TABLE coupons ADD CONSTRAINT coupons_code_key UNIQUE (code);
ALTER TABLE coupons ADD CONSTRAINT coupons_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id);
ALTER TABLE coupons ADD CONSTRAINT coupons_code_len CHECK (length(code) <= 32);
COMMIT;
