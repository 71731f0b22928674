SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE TABLE payments_v2 (
  id serial PRIMARY KEY,
  code char(8),
  email varchar(255),
  amount integer,
  flags smallint,
  paid_at timestamp,
  payload json
);
COMMIT;
