-- pg-version: 10
-- GitLab 'what requires downtime': a column with a default rewrites every row before PostgreSQL 11
ALTER TABLE projects ADD COLUMN random_value int DEFAULT 42;
