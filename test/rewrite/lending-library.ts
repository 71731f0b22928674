/**
 * A schema we did not tune the rules on: a lending library written in the shape of the public sample
 * databases users try first (pagila-like: members, titles, copies, loans, fees partitioned by year with
 * per-partition indexes, a view). Loans have no index on member_id, so per-member correlated
 * subqueries over 100,000 loans are hopeless on the full data and must be proven on subsets.
 * Deterministic data; NULL postcodes and unreturned loans on purpose.
 */
export const LIBRARY_SQL = `
CREATE TABLE branches (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE members (id int PRIMARY KEY, branch_id int NOT NULL REFERENCES branches(id), name text NOT NULL,
  email text, joined_on date NOT NULL, postcode text);
CREATE INDEX members_name_idx ON members (name);
CREATE TABLE titles (id int PRIMARY KEY, name text NOT NULL, genre text, minutes int, fee numeric(6,2) NOT NULL);
CREATE TABLE copies (id int PRIMARY KEY, title_id int NOT NULL REFERENCES titles(id), branch_id int NOT NULL REFERENCES branches(id));
CREATE TABLE loans (id int PRIMARY KEY, copy_id int NOT NULL REFERENCES copies(id), member_id int NOT NULL REFERENCES members(id),
  lent_at timestamptz NOT NULL, returned_at timestamptz);
CREATE INDEX loans_copy_id_idx ON loans (copy_id);
CREATE TABLE fees (id int NOT NULL, member_id int NOT NULL, amount numeric(6,2) NOT NULL, paid_at timestamptz NOT NULL,
  PRIMARY KEY (paid_at, id)) PARTITION BY RANGE (paid_at);
CREATE TABLE fees_2024 PARTITION OF fees FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
CREATE TABLE fees_2025 PARTITION OF fees FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2026-01-01 00:00+00');
CREATE INDEX fees_2024_member_id_idx ON fees_2024 (member_id);
CREATE INDEX fees_2025_member_id_idx ON fees_2025 (member_id);
CREATE VIEW member_list AS SELECT m.id, m.name, b.name AS branch FROM members m JOIN branches b ON b.id = m.branch_id;

INSERT INTO branches SELECT g, 'branch ' || g FROM generate_series(1, 4) g;
INSERT INTO members SELECT g, 1 + g % 4, 'member ' || (g % 3000), CASE WHEN g % 10 = 0 THEN NULL ELSE 'm' || g || '@example.org' END,
  date '2020-01-01' + g % 1500, CASE WHEN g % 9 = 0 THEN NULL ELSE lpad((g % 700)::text, 4, '0') END FROM generate_series(1, 20000) g;
INSERT INTO titles SELECT g, 'title ' || g, (ARRAY['drama', 'comedy', 'docs', NULL, 'kids'])[1 + g % 5], 40 + (g * 7) % 140,
  round(0.99 + (g * 13) % 400 / 100.0, 2) FROM generate_series(1, 2000) g;
INSERT INTO copies SELECT g, 1 + (g * 7) % 1900, 1 + g % 4 FROM generate_series(1, 10000) g;
INSERT INTO loans SELECT g, 1 + (g * 31) % 10000, 1 + (g * 7919) % 20000, timestamptz '2024-01-01 00:00+00' + g * interval '7 minutes',
  CASE WHEN g % 40 = 0 THEN NULL ELSE timestamptz '2024-01-01 00:00+00' + g * interval '7 minutes' + interval '9 days' END
  FROM generate_series(1, 100000) g;
INSERT INTO fees SELECT g, 1 + (g * 13) % 20000, (ARRAY[0.5, 1.0, 2.5, 5.0])[1 + g % 4], timestamptz '2024-01-01 00:00+00' + g * interval '17 minutes'
  FROM generate_series(1, 50000) g;
ANALYZE;
`;
