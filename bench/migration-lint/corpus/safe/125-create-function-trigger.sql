SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE OR REPLACE FUNCTION posts_like_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE posts SET like_count = like_count + 1 WHERE id = NEW.post_id;
  RETURN NEW;
END $$;
COMMIT;
