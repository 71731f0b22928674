-- GitLab moved issues.closed_at to timestamptz with a background migration: a plain ALTER rewrites
ALTER TABLE issues ALTER COLUMN closed_at TYPE timestamptz;
