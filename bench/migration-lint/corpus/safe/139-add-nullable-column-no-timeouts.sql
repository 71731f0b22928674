-- GitLab: a new column without default needs no downtime
ALTER TABLE projects ADD COLUMN IF NOT EXISTS random_value int;
