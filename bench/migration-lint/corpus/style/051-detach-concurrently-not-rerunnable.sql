SET lock_timeout = '1s';
SET statement_timeout = '5s';
ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY;
