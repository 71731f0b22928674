-- a new table referencing an existing one: the brief SHARE ROW EXCLUSIVE on users is the only lock
CREATE TABLE invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  amount numeric(12,2) NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS invoices_user_id_idx ON invoices (user_id);
