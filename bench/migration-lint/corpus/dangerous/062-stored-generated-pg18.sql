-- pg-version: 18
-- STORED is computed for every existing row: a rewrite even on 18
ALTER TABLE users ADD COLUMN name_lower text GENERATED ALWAYS AS (lower(name)) STORED;
