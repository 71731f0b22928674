-- a typical hand-written migration: concurrent, idempotent, outside a transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS issues_project_id_state_idx ON issues (project_id, state);
