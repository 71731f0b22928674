-- db-optimize-ignore-file ban-drop-column
-- the column was unused for two releases (see PR 1234); dropping it is intended
SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
-- squawk-ignore ban-drop-column
ALTER TABLE users DROP COLUMN IF EXISTS legacy_flags;
COMMIT;
