-- strong_migrations: increasing the length limit of a varchar column does not rewrite; users.name is varchar(100)
ALTER TABLE users ALTER COLUMN name TYPE varchar(255);
