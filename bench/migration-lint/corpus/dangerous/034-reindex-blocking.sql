SET lock_timeout = '1s';
SET statement_timeout = '5s';
REINDEX INDEX orders_user_id_idx;
