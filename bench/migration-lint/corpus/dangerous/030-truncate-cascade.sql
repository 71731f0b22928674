SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
TRUNCATE users CASCADE;
COMMIT;
