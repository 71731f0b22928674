SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
CREATE TABLE invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  amount numeric(12,2) NOT NULL,
  currency text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  data jsonb
);
CREATE INDEX invoices_user_id_idx ON invoices (user_id);
COMMIT;
