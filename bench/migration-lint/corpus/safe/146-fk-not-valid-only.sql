-- pgroll-style start phase: the constraint is added NOT VALID, validation happens in a later migration
ALTER TABLE comments ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE NOT VALID;
