-- Rails structure.sql style: add a nullable column and record the version
ALTER TABLE projects ADD COLUMN IF NOT EXISTS archived_at timestamptz;
INSERT INTO schema_migrations (version) VALUES ('20261201120000');
