-- one batch of a backfill; the runner repeats it with the next id range
SET lock_timeout = '1s';
SET statement_timeout = '5s';
UPDATE users SET tier = 'free' WHERE id >= 1 AND id < 5001 AND tier IS NULL;
