SET lock_timeout = '1s';
SET statement_timeout = '5s';
DROP INDEX CONCURRENTLY IF EXISTS users_name_idx;
