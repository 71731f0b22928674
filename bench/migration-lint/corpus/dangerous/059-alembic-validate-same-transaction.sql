-- Alembic offline SQL: one transaction, so VALIDATE keeps the lock of ADD CONSTRAINT for the whole scan
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;
UPDATE alembic_version SET version_num='3c1f2a9b7d10' WHERE alembic_version.version_num = '9e8d7c6b5a40';
COMMIT;
