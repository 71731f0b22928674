import type { Severity } from '../../model/index.ts';

export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** squawk rule names this rule covers (same id first when squawk has it) */
  readonly squawk: readonly string[];
  /** strong_migrations check it covers, when it has one */
  readonly strongMigrations?: string;
  /** why the statement is dangerous on a busy production table */
  readonly why: string;
  /** the safe way, as steps (SQL where it helps) */
  readonly recipe: string;
}

/**
 * One deduplicated rule set: every squawk rule (ids kept so squawk users recognise them and
 * `-- squawk-ignore` comments keep working) plus the strong_migrations checks squawk lacks.
 */
export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'adding-field-with-default',
    severity: 'critical',
    title: 'ADD COLUMN with a default that rewrites the table',
    squawk: ['adding-field-with-default'],
    strongMigrations: 'add_column_default / add_column_default_callable',
    why: 'A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval) — and before PostgreSQL 11 any default — is computed per row, so ADD COLUMN rewrites the whole table and its indexes under ACCESS EXCLUSIVE: no reads or writes until it finishes. Stored generated and identity columns rewrite the same way.',
    recipe: 'Add the column without a default (metadata only), set the default for new rows with ALTER COLUMN … SET DEFAULT, then backfill existing rows in batches:\nALTER TABLE t ADD COLUMN c uuid;\nALTER TABLE t ALTER COLUMN c SET DEFAULT gen_random_uuid();\nUPDATE t SET c = gen_random_uuid() WHERE id BETWEEN $1 AND $2 AND c IS NULL; -- repeat per batch, commit each',
  },
  {
    id: 'adding-foreign-key-constraint',
    severity: 'warning',
    title: 'Foreign key added without NOT VALID',
    squawk: ['adding-foreign-key-constraint'],
    strongMigrations: 'add_foreign_key / add_reference',
    why: 'Adding a foreign key validates every existing row while holding SHARE ROW EXCLUSIVE on both tables: writes to the table and to the referenced table wait for the whole scan.',
    recipe: 'Add it NOT VALID (instant, new rows are checked), then validate in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue):\nALTER TABLE t ADD CONSTRAINT t_u_fk FOREIGN KEY (u_id) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_u_fk;',
  },
  {
    id: 'adding-not-nullable-field',
    severity: 'warning',
    title: 'SET NOT NULL scans the table under ACCESS EXCLUSIVE',
    squawk: ['adding-not-nullable-field'],
    strongMigrations: 'change_column_null',
    why: 'ALTER COLUMN … SET NOT NULL reads every row to prove there is no NULL, holding ACCESS EXCLUSIVE: reads and writes queue behind it for the whole scan.',
    recipe: 'On 12+: add a CHECK constraint NOT VALID, validate it (no blocking), then SET NOT NULL uses the valid constraint and skips the scan; drop the CHECK afterwards:\nALTER TABLE t ADD CONSTRAINT t_c_not_null CHECK (c IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_c_not_null;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nALTER TABLE t DROP CONSTRAINT t_c_not_null;',
  },
  {
    id: 'adding-required-field',
    severity: 'critical',
    title: 'NOT NULL column added without a default',
    squawk: ['adding-required-field'],
    why: 'ADD COLUMN … NOT NULL without DEFAULT fails on any table that has rows, and breaks running application code that inserts without the column.',
    recipe: 'Add it nullable (or NOT NULL with a constant DEFAULT on 11+), backfill, then enforce NOT NULL with CHECK … NOT VALID + VALIDATE.',
  },
  {
    id: 'adding-serial-primary-key-field',
    severity: 'critical',
    title: 'Primary key added by building its index under ACCESS EXCLUSIVE',
    squawk: ['adding-serial-primary-key-field'],
    strongMigrations: 'add_primary_key',
    why: 'ADD PRIMARY KEY (or a serial PRIMARY KEY column) builds a unique index and checks NOT NULL while holding ACCESS EXCLUSIVE: the table is unreadable until the index is built.',
    recipe: 'Build the unique index concurrently, then attach it:\nCREATE UNIQUE INDEX CONCURRENTLY t_pkey_idx ON t (id);\nALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey_idx;',
  },
  {
    id: 'ban-char-field',
    severity: 'warning',
    title: 'char(n) column',
    squawk: ['ban-char-field'],
    why: 'char(n) pads with spaces, compares with trailing blanks ignored and is no faster than text; the length limit is a constraint that is costly to change later.',
    recipe: 'Use text (with a CHECK (length(c) <= n) if the limit is a business rule).',
  },
  {
    id: 'ban-drop-column',
    severity: 'warning',
    title: 'Dropping a column breaks running code',
    squawk: ['ban-drop-column'],
    strongMigrations: 'remove_column',
    why: 'Application servers still running the old release select or insert the column and fail (ORMs list every column in INSERT/SELECT); the data is gone without a rollback path.',
    recipe: 'Deploy code that no longer reads or writes the column (Rails: ignored_columns, Django: remove field in a separate release), then drop it in a later migration with lock_timeout set.',
  },
  {
    id: 'ban-drop-database',
    severity: 'critical',
    title: 'DROP DATABASE in a migration',
    squawk: ['ban-drop-database'],
    why: 'Irreversible loss of every table; a migration should never do this.',
    recipe: 'Remove it from the migration; drop databases by hand after a backup.',
  },
  {
    id: 'ban-drop-not-null',
    severity: 'warning',
    title: 'Dropping NOT NULL can break code that relies on it',
    squawk: ['ban-drop-not-null'],
    why: 'Readers that assume the column is never NULL (generated types, joins, aggregates) start seeing NULLs; the change is hard to reverse once NULLs are written.',
    recipe: 'Make sure every reader handles NULL first, then drop the constraint with lock_timeout set.',
  },
  {
    id: 'ban-drop-table',
    severity: 'warning',
    title: 'Dropping a table breaks running code',
    squawk: ['ban-drop-table'],
    strongMigrations: 'drop_table',
    why: 'Code still deployed fails on the missing table, and the data cannot be restored without a backup.',
    recipe: 'Stop using the table in code first, rename it (or revoke access) for one release to find stragglers, then drop it.',
  },
  {
    id: 'ban-truncate-cascade',
    severity: 'critical',
    title: 'TRUNCATE … CASCADE',
    squawk: ['ban-truncate-cascade'],
    why: 'CASCADE truncates every table that references this one, recursively, under ACCESS EXCLUSIVE: far more data than intended can vanish.',
    recipe: 'Truncate the tables explicitly by name, or delete in batches.',
  },
  {
    id: 'changing-column-type',
    severity: 'critical',
    title: 'Changing a column type rewrites the table',
    squawk: ['changing-column-type'],
    strongMigrations: 'change_column',
    why: 'ALTER COLUMN … TYPE rewrites the table and rebuilds every index under ACCESS EXCLUSIVE unless the change is binary-compatible (varchar(n)→text, a longer varchar, numeric with more precision at the same scale).',
    recipe: 'Expand/contract: add a new column of the new type, keep it in sync with a trigger, backfill in batches, switch reads, then writes, then drop the old column (or use pgroll).',
  },
  {
    id: 'constraint-missing-not-valid',
    severity: 'warning',
    title: 'Constraint added without NOT VALID (or validated in the same transaction)',
    squawk: ['constraint-missing-not-valid'],
    strongMigrations: 'add_check_constraint / validate_check_constraint',
    why: 'ADD CONSTRAINT CHECK/FOREIGN KEY scans the table while holding a lock that blocks writes; validating in the same transaction keeps the ACCESS EXCLUSIVE lock of the ADD for the whole scan.',
    recipe: 'ALTER TABLE t ADD CONSTRAINT c CHECK (…) NOT VALID; -- commit\nALTER TABLE t VALIDATE CONSTRAINT c; -- separate transaction, SHARE UPDATE EXCLUSIVE',
  },
  {
    id: 'disallowed-unique-constraint',
    severity: 'warning',
    title: 'UNIQUE constraint built under ACCESS EXCLUSIVE',
    squawk: ['disallowed-unique-constraint'],
    strongMigrations: 'add_unique_constraint',
    why: 'ADD CONSTRAINT … UNIQUE builds its index while blocking reads and writes.',
    recipe: 'CREATE UNIQUE INDEX CONCURRENTLY t_c_key ON t (c);\nALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE USING INDEX t_c_key;',
  },
  {
    id: 'prefer-bigint-over-int',
    severity: 'info',
    title: 'integer column: prefer bigint',
    squawk: ['prefer-bigint-over-int', 'prefer-big-int'],
    why: 'A 32-bit key runs out at 2,147,483,647; widening it later is a full table rewrite. bigint costs 4 bytes more per row.',
    recipe: 'Use bigint (bigint GENERATED ALWAYS AS IDENTITY for keys).',
  },
  {
    id: 'prefer-bigint-over-smallint',
    severity: 'info',
    title: 'smallint column: prefer bigint',
    squawk: ['prefer-bigint-over-smallint', 'prefer-big-int'],
    why: 'smallint overflows at 32,767; changing it later rewrites the table.',
    recipe: 'Use bigint unless the domain is truly tiny and fixed.',
  },
  {
    id: 'prefer-identity',
    severity: 'info',
    title: 'serial column: prefer an identity column',
    squawk: ['prefer-identity'],
    why: 'serial creates a separately owned sequence with looser permissions and awkward dump/restore behaviour; identity columns are the SQL-standard replacement.',
    recipe: 'id bigint GENERATED ALWAYS AS IDENTITY',
  },
  {
    id: 'prefer-robust-stmts',
    severity: 'info',
    title: 'Statement cannot be re-run after a partial failure',
    squawk: ['prefer-robust-stmts'],
    why: 'Outside a transaction (or with CONCURRENTLY, which cannot run in one) a migration that fails half-way leaves some statements applied; re-running it then fails on the objects that already exist.',
    recipe: 'Use IF NOT EXISTS / IF EXISTS (CREATE INDEX CONCURRENTLY IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, DROP … IF EXISTS), or wrap non-concurrent statements in a transaction.',
  },
  {
    id: 'prefer-text-field',
    severity: 'info',
    title: 'varchar(n) column: prefer text',
    squawk: ['prefer-text-field'],
    why: 'varchar(n) is stored like text; raising the limit later is cheap but lowering it rewrites, and the limit rarely matches a real rule.',
    recipe: 'Use text with CHECK (length(c) <= n) when a limit is needed (a CHECK can be added NOT VALID and changed without a rewrite).',
  },
  {
    id: 'prefer-timestamp-tz',
    severity: 'info',
    title: 'timestamp without time zone',
    squawk: ['prefer-timestamp-tz', 'prefer-timestamptz'],
    why: 'timestamp drops the UTC offset: values written from sessions in different time zones become ambiguous, and comparisons across DST are wrong.',
    recipe: 'Use timestamptz.',
  },
  {
    id: 'renaming-column',
    severity: 'warning',
    title: 'Renaming a column breaks running code',
    squawk: ['renaming-column'],
    strongMigrations: 'rename_column',
    why: 'The rename is instant but every deployed application server still uses the old name until it is redeployed.',
    recipe: 'Add the new column, write to both, backfill, switch reads, stop writing the old one, drop it (or expose the old name through a view).',
  },
  {
    id: 'renaming-table',
    severity: 'warning',
    title: 'Renaming a table breaks running code',
    squawk: ['renaming-table'],
    strongMigrations: 'rename_table',
    why: 'Deployed code still queries the old name and fails until redeployed.',
    recipe: 'Create the new table (or rename and leave a view with the old name: CREATE VIEW old_name AS SELECT * FROM new_name) and move code over before removing the old name.',
  },
  {
    id: 'require-concurrent-index-creation',
    severity: 'warning',
    title: 'CREATE INDEX without CONCURRENTLY blocks writes',
    squawk: ['require-concurrent-index-creation'],
    strongMigrations: 'add_index',
    why: 'CREATE INDEX holds SHARE on the table for the whole build: every INSERT, UPDATE and DELETE waits.',
    recipe: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS … (outside a transaction; check pg_index.indisvalid afterwards and drop/retry an invalid one).',
  },
  {
    id: 'require-concurrent-index-deletion',
    severity: 'warning',
    title: 'DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE',
    squawk: ['require-concurrent-index-deletion'],
    strongMigrations: 'remove_index',
    why: 'DROP INDEX takes ACCESS EXCLUSIVE on the table: it waits behind long queries and everything queues behind it.',
    recipe: 'DROP INDEX CONCURRENTLY IF EXISTS … (outside a transaction).',
  },
  {
    id: 'transaction-nesting',
    severity: 'warning',
    title: 'Nested or framework-conflicting transaction statement',
    squawk: ['transaction-nesting'],
    why: 'BEGIN inside a transaction only warns, and the first COMMIT ends the outer transaction early: later statements run outside it.',
    recipe: 'Remove the inner BEGIN/COMMIT (let the migration framework own the transaction).',
  },
  {
    id: 'ban-concurrent-index-creation-in-transaction',
    severity: 'critical',
    title: 'CONCURRENTLY inside a transaction',
    squawk: ['ban-concurrent-index-creation-in-transaction'],
    strongMigrations: 'add_index (disable_ddl_transaction!)',
    why: 'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH … CONCURRENTLY cannot run inside a transaction block: the migration fails.',
    recipe: 'Put the statement in its own migration that runs outside a transaction (Rails disable_ddl_transaction!, Django atomic = False, Alembic autocommit_block(), Knex config.transaction = false).',
  },
  {
    id: 'ban-create-domain-with-constraint',
    severity: 'warning',
    title: 'CREATE DOMAIN with a constraint',
    squawk: ['ban-create-domain-with-constraint'],
    why: 'Domain constraints cannot be added NOT VALID later without scanning every column that uses the domain; changing them takes locks on all those tables.',
    recipe: 'Put the CHECK on the table columns instead (they can be added NOT VALID and validated).',
  },
  {
    id: 'ban-alter-domain-with-add-constraint',
    severity: 'warning',
    title: 'ALTER DOMAIN … ADD CONSTRAINT',
    squawk: ['ban-alter-domain-with-add-constraint'],
    why: 'Validates every column of every table that uses the domain, with locks on them.',
    recipe: 'Add CHECK constraints NOT VALID on the tables instead, or ADD CONSTRAINT … NOT VALID on the domain then VALIDATE.',
  },
  {
    id: 'require-lock-timeout',
    severity: 'warning',
    title: 'No lock_timeout before a statement that takes a strong lock',
    squawk: ['require-lock-timeout', 'require-timeout-settings'],
    why: 'A DDL statement waiting for its lock (behind one long query) blocks every later query on the table: the queue, not the DDL, causes the outage.',
    recipe: "SET lock_timeout = '1s'; at the top of the migration, and retry the migration when it times out.",
  },
  {
    id: 'require-statement-timeout',
    severity: 'info',
    title: 'No statement_timeout before a potentially slow statement',
    squawk: ['require-statement-timeout', 'require-timeout-settings'],
    why: 'A statement that scans or rewrites a large table can run far longer than expected while holding its lock.',
    recipe: "SET statement_timeout = '5s'; (raise it explicitly for CREATE INDEX CONCURRENTLY and VALIDATE, which do not block).",
  },
  {
    id: 'ban-uncommitted-transaction',
    severity: 'critical',
    title: 'Transaction is never committed',
    squawk: ['ban-uncommitted-transaction'],
    why: 'A BEGIN without COMMIT leaves the migration open: its locks are held until the session ends and its changes are rolled back.',
    recipe: 'Add COMMIT; at the end.',
  },
  {
    id: 'require-enum-value-ordering',
    severity: 'info',
    title: 'ALTER TYPE … ADD VALUE without BEFORE/AFTER',
    squawk: ['require-enum-value-ordering'],
    why: 'The new value sorts last; code that orders by the enum silently changes order. Before 12 ADD VALUE also cannot run in a transaction.',
    recipe: "ALTER TYPE e ADD VALUE IF NOT EXISTS 'x' AFTER 'y';",
  },
  {
    id: 'identifier-too-long',
    severity: 'warning',
    title: 'Identifier longer than 63 bytes is truncated',
    squawk: ['identifier-too-long'],
    why: 'PostgreSQL silently truncates names to 63 bytes: two long names can collide and later migrations referring to the full name fail.',
    recipe: 'Use a name of at most 63 bytes.',
  },
  {
    id: 'require-concurrent-partition-detach',
    severity: 'warning',
    title: 'DETACH PARTITION without CONCURRENTLY',
    squawk: ['require-concurrent-partition-detach'],
    why: 'DETACH PARTITION takes ACCESS EXCLUSIVE on the parent: all queries on the partitioned table wait.',
    recipe: 'ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY; (14+, outside a transaction)',
  },
  {
    id: 'require-concurrent-reindex',
    severity: 'warning',
    title: 'REINDEX without CONCURRENTLY',
    squawk: ['require-concurrent-reindex'],
    why: 'REINDEX blocks writes to the table (and reads that would use the index) for the whole rebuild.',
    recipe: 'REINDEX INDEX CONCURRENTLY … (12+, outside a transaction).',
  },
  {
    id: 'prefer-repack',
    severity: 'warning',
    title: 'VACUUM FULL / CLUSTER rewrites under ACCESS EXCLUSIVE',
    squawk: ['prefer-repack'],
    strongMigrations: 'vacuum_full',
    why: 'VACUUM FULL and CLUSTER copy the whole table while holding ACCESS EXCLUSIVE: no reads or writes for the duration.',
    recipe: 'Use pg_repack (or pg_squeeze) to rebuild online; or plain VACUUM, which does not block.',
  },
  {
    id: 'ban-duplicate-column-assignments',
    severity: 'warning',
    title: 'Column assigned twice in one statement',
    squawk: ['ban-duplicate-column-assignments'],
    why: 'Ambiguous intent; PostgreSQL rejects it at run time.',
    recipe: 'Assign each column once.',
  },
  // strong_migrations checks squawk does not have
  {
    id: 'adding-json-column',
    severity: 'info',
    title: 'json column: prefer jsonb',
    squawk: [],
    strongMigrations: 'add_column_json',
    why: 'json has no equality operator (SELECT DISTINCT and UNION fail), cannot be indexed with GIN and is re-parsed on every access.',
    recipe: 'Use jsonb.',
  },
  {
    id: 'adding-exclusion-constraint',
    severity: 'warning',
    title: 'Exclusion constraint built under ACCESS EXCLUSIVE',
    squawk: [],
    strongMigrations: 'add_exclusion_constraint',
    why: 'An exclusion constraint builds its index while blocking reads and writes, and cannot be added NOT VALID.',
    recipe: 'Add it during a maintenance window, or on a new table before it holds data.',
  },
  {
    id: 'backfill-in-ddl-transaction',
    severity: 'warning',
    title: 'Backfill in the same transaction as DDL',
    squawk: [],
    strongMigrations: 'backfill (disable_ddl_transaction!)',
    why: 'An UPDATE/DELETE in the transaction of an ALTER TABLE keeps the ALTER\'s ACCESS EXCLUSIVE lock for the whole backfill, and one huge UPDATE bloats the table and the WAL.',
    recipe: 'Run the DDL, commit, then backfill in batches of a few thousand rows, one transaction each, with a pause between batches.',
  },
  {
    id: 'unbatched-backfill',
    severity: 'warning',
    title: 'UPDATE/DELETE of every row in one statement',
    squawk: [],
    strongMigrations: 'backfill',
    why: 'One statement that touches every row holds row locks on all of them until commit, doubles the table on disk until vacuum, and can lag replicas.',
    recipe: 'Batch by key range: UPDATE t SET c = … WHERE id >= $1 AND id < $1 + 5000 AND c IS NULL; commit, sleep, repeat (db-optimize migrate plan generates it).',
  },
  {
    id: 'table-rewrite',
    severity: 'critical',
    title: 'Statement rewrites the table under ACCESS EXCLUSIVE',
    squawk: [],
    strongMigrations: 'change_table (set_logged / set_tablespace)',
    why: 'SET LOGGED/UNLOGGED, SET TABLESPACE and SET ACCESS METHOD copy the whole table while blocking reads and writes.',
    recipe: 'Do it in a maintenance window, or build a new table and swap (pg-osc style shadow table).',
  },
  {
    id: 'lock-table',
    severity: 'warning',
    title: 'Explicit LOCK TABLE',
    squawk: [],
    strongMigrations: 'execute (review)',
    why: 'An explicit strong lock held for the rest of the transaction blocks the table\'s traffic for all of it.',
    recipe: 'Avoid explicit locks in migrations; if needed keep the transaction tiny and set lock_timeout.',
  },
  {
    id: 'refresh-matview-blocking',
    severity: 'warning',
    title: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY',
    squawk: [],
    why: 'A plain refresh takes ACCESS EXCLUSIVE on the view: every reader waits until the query is recomputed.',
    recipe: 'Add a unique index on the view and use REFRESH MATERIALIZED VIEW CONCURRENTLY.',
  },
  {
    id: 'create-table-force',
    severity: 'critical',
    title: 'DROP TABLE … CASCADE / drop-and-recreate',
    squawk: [],
    strongMigrations: 'create_table (force: true)',
    why: 'CASCADE drops views, foreign keys and other dependent objects silently.',
    recipe: 'Drop dependents explicitly, by name, after checking them.',
  },
  {
    id: 'add-index-many-columns',
    severity: 'info',
    title: 'Index with more than three columns',
    squawk: [],
    strongMigrations: 'add_index_columns (best practice)',
    why: 'Wide btree indexes are large and slow to maintain; columns past the third rarely help the planner.',
    recipe: 'Keep the selective leading columns; move payload columns to INCLUDE (…).',
  },
];

const BY_ID = new Map(LINT_RULES.map((r) => [r.id, r]));
const ALIASES = new Map<string, string>();
for (const r of LINT_RULES) for (const s of r.squawk) if (!ALIASES.has(s)) ALIASES.set(s, r.id);

export function lintRule(id: string): LintRule {
  const rule = BY_ID.get(id);
  if (rule === undefined) throw new Error(`unknown lint rule ${id}`);
  return rule;
}

/** Our rule ids for a name given by a user (ours or squawk's); empty when unknown. */
export function resolveRuleName(name: string): string[] {
  const n = name.trim().toLowerCase();
  if (n === 'require-timeout-settings') return ['require-lock-timeout', 'require-statement-timeout'];
  if (n === 'prefer-big-int') return ['prefer-bigint-over-int', 'prefer-bigint-over-smallint'];
  if (BY_ID.has(n)) return [n];
  const alias = ALIASES.get(n);
  return alias === undefined ? [] : [alias];
}
