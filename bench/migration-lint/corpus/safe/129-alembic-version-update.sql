-- Alembic offline SQL: the version row update is bookkeeping, not a backfill
BEGIN;
ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;
UPDATE alembic_version SET version_num='4b2e1d0c9a87' WHERE alembic_version.version_num = '3c1f2a9b7d10';
COMMIT;
