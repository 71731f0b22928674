SET lock_timeout = '1s';
SET statement_timeout = '5s';
CLUSTER orders USING orders_user_id_idx;
