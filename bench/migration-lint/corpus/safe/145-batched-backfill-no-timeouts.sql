-- one batch of a keyed backfill (the runner repeats it per key range)
UPDATE users SET tier = 'free' WHERE id >= 1 AND id < 10001 AND tier IS NULL;
