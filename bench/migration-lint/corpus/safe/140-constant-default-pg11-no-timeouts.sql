-- pg-version: 11
-- 11+ stores a constant default in the catalog
ALTER TABLE users ADD COLUMN IF NOT EXISTS locale text NOT NULL DEFAULT 'en';
