-- strong_migrations 'backfilling data': the UPDATE runs in the transaction that holds the ALTER's lock
BEGIN;
ALTER TABLE users ADD COLUMN some_column text;
UPDATE users SET some_column = 'default_value';
COMMIT;
