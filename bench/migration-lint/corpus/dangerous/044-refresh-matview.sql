SET lock_timeout = '1s';
SET statement_timeout = '5s';
REFRESH MATERIALIZED VIEW feed_counts;
