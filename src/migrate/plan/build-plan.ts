import { quoteIdent } from '../../analyzers/format.ts';
import { bareNameOf, requoteQualified } from '../../sql/quote.ts';
import type { Change } from './parse-change.ts';
import type { BackfillSpec, MigrationPlan, PlanStep, StepDuration } from './plan-types.ts';

/** What the live database says about the table (all optional: without --db the plan states its assumptions). */
export interface TableFacts {
  readonly rowEstimate: number | null;
  /** single integer primary-key column for range batches */
  readonly key: string | null;
  readonly columnNotNull: boolean | null;
  /** current type of the column (format_type), for rename-column */
  readonly columnType: string | null;
  /** definitions of indexes that contain the column (for change-type) */
  readonly columnIndexes: readonly { readonly name: string; readonly definition: string; readonly primary: boolean; readonly unique: boolean; readonly constraint: string | null }[];
  /** the FK columns already lead an index (for add-fk) */
  readonly fkIndexed: boolean | null;
}

export interface PlanOptions {
  readonly pgVersion: number;
  readonly lockTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly batchSize: number;
  readonly sleepMs: number;
  readonly retries: number;
  readonly facts: TableFacts | null;
  /** key column given with --key when there is no database to ask */
  readonly key?: string;
}

interface StepDraft {
  title: string;
  sql: string;
  lock: string;
  duration: StepDuration;
  transactional?: boolean;
  rollback: string;
  notes?: string[];
  backfill?: BackfillSpec;
  manual?: boolean;
  /** long-running but non-blocking steps get no statement timeout */
  longRunning?: boolean;
}

// names may arrive quoted ("My Schema"."Order Items"): split them the way the server does
const q = (name: string): string => (name.includes('"') ? requoteQualified(name) : name.split('.').map(quoteIdent).join('.'));

/** Builds the step-by-step zero-downtime plan for one change on the given server version. */
export function buildPlan(change: Change, options: PlanOptions): MigrationPlan {
  const pg = options.pgVersion;
  const facts = options.facts;
  const assumptions: string[] = [];
  const key = facts?.key ?? options.key ?? null;
  if (facts === null) {
    assumptions.push(`no --db: planned for PostgreSQL ${pg} without looking at the table (row count, key, indexes unknown)`);
  }
  const drafts: StepDraft[] = [];
  let naive: MigrationPlan['naive'];
  let naiveSql: string;
  let description: string;
  const table = 'table' in change ? q(change.table) : '';
  const bare = 'table' in change ? bareNameOf(change.table) : '';
  const backfill = (set: string, pending: string): BackfillSpec => ({
    table: change.table,
    set,
    pending,
    key,
    batchSize: options.batchSize,
    sleepMs: options.sleepMs,
  });
  const notNullSteps = (column: string): void => {
    const check = `${bare}_${column}_not_null`.slice(0, 63);
    if (pg >= 12) {
      drafts.push(
        {
          title: `Add CHECK (${column} IS NOT NULL) NOT VALID (new and updated rows are checked, existing rows are not scanned)`,
          sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(column)} IS NOT NULL) NOT VALID;`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};`,
        },
        {
          title: 'Validate the CHECK: scans the table without blocking reads or writes',
          sql: `ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(check)};`,
          lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
          duration: 'scan',
          rollback: '-- nothing to undo: validation only marks the constraint valid',
          longRunning: true,
        },
        {
          title: `SET NOT NULL: PostgreSQL ${pg} uses the valid CHECK as proof and skips the scan`,
          sql: `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} SET NOT NULL;`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} DROP NOT NULL;`,
          notes: pg >= 18 ? ['on 18+ ADD CONSTRAINT … NOT NULL … NOT VALID followed by VALIDATE CONSTRAINT is an alternative that needs no CHECK'] : [],
        },
        {
          title: 'Drop the now redundant CHECK',
          sql: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(column)} IS NOT NULL) NOT VALID;`,
        },
      );
    } else {
      drafts.push(
        {
          title: `Add CHECK (${column} IS NOT NULL) NOT VALID`,
          sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(column)} IS NOT NULL) NOT VALID;`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};`,
        },
        {
          title: 'Validate the CHECK without blocking; keep it as the NOT NULL guarantee',
          sql: `ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(check)};`,
          lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
          duration: 'scan',
          rollback: '-- nothing to undo',
          longRunning: true,
          notes: [`PostgreSQL ${pg} cannot use a CHECK to skip the SET NOT NULL scan (12+ can): SET NOT NULL would block reads and writes for a full scan, so the validated CHECK stays as the constraint`],
        },
      );
    }
  };

  switch (change.kind) {
    case 'add-column': {
      const col = quoteIdent(change.column);
      const def = change.defaultSql;
      description = `add column ${change.table}.${change.column} ${change.type}${change.notNull ? ' NOT NULL' : ''}${def === null ? '' : ` DEFAULT ${def}`}`;
      naiveSql = `ALTER TABLE ${table} ADD COLUMN ${col} ${change.type}${change.notNull ? ' NOT NULL' : ''}${def === null ? '' : ` DEFAULT ${def}`};`;
      const storedOnce = def !== null && pg >= 11 && (change.defaultKind === 'constant' || change.defaultKind === 'non-volatile');
      if (change.notNull && def === null) {
        naive = { sql: naiveSql, lock: 'ACCESS EXCLUSIVE', duration: 'scan', why: 'fails on a non-empty table: existing rows would be NULL' };
        drafts.push({
          title: `Add ${change.column} as a nullable column (metadata only)`,
          sql: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${col} ${change.type};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${col};`,
          notes: ['NOT NULL without a default needs a value for existing rows: deploy code that writes the column, backfill it, then run the NOT NULL steps (db-optimize migrate plan --set-not-null)'],
        });
        break;
      }
      if (def === null || storedOnce) {
        naive = {
          sql: naiveSql,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          why: def === null ? 'a nullable column without default is a catalog change only' : `on PostgreSQL ${pg} a ${change.defaultKind} default is evaluated once and stored in the catalog: no rewrite`,
        };
        drafts.push({
          title: `Add ${change.column}${def === null ? '' : ' with its default'} (metadata only on PostgreSQL ${pg})`,
          sql: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${col} ${change.type}${change.notNull ? ' NOT NULL' : ''}${def === null ? '' : ` DEFAULT ${def}`};`,
          lock: 'ACCESS EXCLUSIVE (instant once acquired)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${col};`,
          notes: [
            'the only risk is waiting for the lock behind a long transaction: lock_timeout makes it give up instead of queueing traffic behind it, then it is retried',
            ...(change.defaultKind === 'non-volatile' ? [`${def} is evaluated once, at ALTER time: every existing row gets the same value`] : []),
          ],
        });
        break;
      }
      naive = {
        sql: naiveSql,
        lock: 'ACCESS EXCLUSIVE',
        duration: 'rewrite',
        why:
          change.defaultKind === 'volatile'
            ? `${def} is volatile: ADD COLUMN computes it per row, rewriting the whole table and its indexes while holding ACCESS EXCLUSIVE`
            : change.defaultKind === 'unknown-function'
              ? `${def} calls a function whose volatility is unknown here: if it is VOLATILE the whole table is rewritten under ACCESS EXCLUSIVE`
              : `PostgreSQL ${pg} (before 11) writes a default into every row: full rewrite under ACCESS EXCLUSIVE`,
      };
      drafts.push(
        {
          title: `Add ${change.column} without default, nullable (metadata only)`,
          sql: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${col} ${change.type};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${col};`,
        },
        {
          title: 'Set the default for new rows (existing rows untouched)',
          sql: `ALTER TABLE ${table} ALTER COLUMN ${col} SET DEFAULT ${def};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} ALTER COLUMN ${col} DROP DEFAULT;`,
        },
        {
          title: `Backfill existing rows in batches of ${options.batchSize}, one transaction each, ${options.sleepMs} ms pause between batches`,
          sql: '',
          lock: 'ROW EXCLUSIVE; row locks only on the rows of the current batch',
          duration: 'batched',
          rollback: '-- nothing to undo separately: dropping the column (step 1 rollback) removes the values',
          backfill: backfill(`${col} = ${def}`, `${col} IS NULL`),
          longRunning: true,
          notes: ['each batch commits: a crash or Ctrl-C loses at most one batch and re-running continues where it stopped (it only touches rows still NULL)', 'watch replication lag and raise the pause if replicas fall behind'],
        },
      );
      if (change.notNull) notNullSteps(change.column);
      break;
    }
    case 'set-not-null': {
      description = `set ${change.table}.${change.column} NOT NULL`;
      naiveSql = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(change.column)} SET NOT NULL;`;
      naive = { sql: naiveSql, lock: 'ACCESS EXCLUSIVE', duration: 'scan', why: 'scans every row to prove there is no NULL while blocking reads and writes' };
      drafts.push({
        title: `Check that no NULL is left (fix them first with a batched UPDATE)`,
        sql: `SELECT count(*) AS nulls_left FROM ${table} WHERE ${quoteIdent(change.column)} IS NULL;`,
        lock: 'ACCESS SHARE',
        duration: 'scan',
        rollback: '-- read only',
        longRunning: true,
      });
      notNullSteps(change.column);
      break;
    }
    case 'add-index': {
      description = `add ${change.unique ? 'unique ' : ''}index ${change.name} on ${change.table} ${change.body}`;
      naiveSql = `CREATE ${change.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(change.name)} ON ${table} ${change.body};`;
      naive = { sql: naiveSql, lock: 'SHARE', duration: 'scan', why: 'blocks every INSERT, UPDATE and DELETE for the whole index build' };
      drafts.push({
        title: 'Build the index concurrently (outside a transaction)',
        sql: `CREATE ${change.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(change.name)} ON ${table} ${change.body};`,
        lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue; waits for older transactions)',
        duration: 'scan',
        transactional: false,
        longRunning: true,
        rollback: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(change.name)};`,
        notes: [
          `if it fails (deadlock, ${change.unique ? 'duplicate key, ' : ''}cancel) it leaves an INVALID index: DROP INDEX CONCURRENTLY IF EXISTS ${change.name}; then retry`,
          `verify: SELECT indisvalid FROM pg_index WHERE indexrelid = '${change.name}'::regclass;`,
        ],
      });
      break;
    }
    case 'add-fk': {
      const cols = change.columns.map(quoteIdent).join(', ');
      const refs = change.refColumns.map(quoteIdent).join(', ');
      description = `add foreign key ${change.table}(${change.columns.join(', ')}) → ${change.refTable}(${change.refColumns.join(', ')})`;
      naiveSql = `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(change.name)} FOREIGN KEY (${cols}) REFERENCES ${q(change.refTable)} (${refs});`;
      naive = { sql: naiveSql, lock: 'SHARE ROW EXCLUSIVE on both tables', duration: 'scan', why: 'validates every existing row while writes to both tables wait' };
      if (facts?.fkIndexed !== true) {
        const idx = `${bare}_${change.columns.join('_')}_idx`.slice(0, 63);
        drafts.push({
          title: `Index the referencing column${change.columns.length > 1 ? 's' : ''} first (parent deletes and joins need it)`,
          sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(idx)} ON ${table} (${cols});`,
          lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
          duration: 'scan',
          transactional: false,
          longRunning: true,
          rollback: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(idx)};`,
          notes: facts === null ? ['skip this step if an index already leads with these columns'] : [],
        });
      }
      drafts.push(
        {
          title: 'Add the foreign key NOT VALID (new rows are checked, existing rows are not scanned)',
          sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(change.name)} FOREIGN KEY (${cols}) REFERENCES ${q(change.refTable)} (${refs}) NOT VALID;`,
          lock: `SHARE ROW EXCLUSIVE on ${change.table} and ${change.refTable} (instant)`,
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(change.name)};`,
        },
        {
          title: 'Validate existing rows without blocking writes',
          sql: `ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(change.name)};`,
          lock: `SHARE UPDATE EXCLUSIVE on ${change.table}, ROW SHARE on ${change.refTable}`,
          duration: 'scan',
          longRunning: true,
          rollback: '-- nothing to undo: the constraint stays NOT VALID if this fails; find orphans with a LEFT JOIN … WHERE parent IS NULL',
        },
      );
      break;
    }
    case 'change-type': {
      const col = quoteIdent(change.column);
      const tmp = quoteIdent(`${change.column}_new`.slice(0, 63));
      const old = quoteIdent(`${change.column}_old`.slice(0, 63));
      const conv = change.using ?? `${col}::${change.type}`;
      const convNew = change.using === null ? `NEW.${col}::${change.type}` : change.using.replace(new RegExp(`\\b${change.column}\\b`, 'g'), `NEW.${col}`);
      const fn = quoteIdent(`${bare}_${change.column}_sync`.slice(0, 63));
      description = `change ${change.table}.${change.column} to ${change.type}`;
      naiveSql = `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${change.type}${change.using === null ? '' : ` USING ${change.using}`};`;
      naive = { sql: naiveSql, lock: 'ACCESS EXCLUSIVE', duration: 'rewrite', why: 'rewrites the table and rebuilds every index while blocking reads and writes (unless the cast is binary-compatible)' };
      drafts.push(
        {
          title: `Expand: add ${change.column}_new ${change.type} (metadata only)`,
          sql: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${tmp} ${change.type};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${tmp};`,
        },
        {
          title: 'Keep the new column in sync on every insert and update',
          sql:
            `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.${tmp} := ${convNew};\n  RETURN NEW;\nEND $$;\n` +
            `CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE OF ${col} ON ${table} FOR EACH ROW EXECUTE ${pg >= 11 ? 'FUNCTION' : 'PROCEDURE'} ${fn}();`,
          lock: 'SHARE ROW EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `DROP TRIGGER IF EXISTS ${fn} ON ${table};\nDROP FUNCTION IF EXISTS ${fn}();`,
        },
        {
          title: `Backfill ${change.column}_new in batches of ${options.batchSize}`,
          sql: '',
          lock: 'ROW EXCLUSIVE; row locks only on the current batch',
          duration: 'batched',
          rollback: '-- nothing separate: dropping the new column undoes it',
          backfill: backfill(`${tmp} = ${conv}`, `${tmp} IS NULL AND ${col} IS NOT NULL`),
          longRunning: true,
        },
      );
      if (facts?.columnNotNull !== false) notNullSteps(`${change.column}_new`);
      for (const idx of facts?.columnIndexes ?? []) {
        const newName = `${idx.name}_new`.slice(0, 63);
        const definition = idx.definition
          .replace(/^CREATE (UNIQUE )?INDEX \S+ ON/, `CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(newName)} ON`)
          .replace(new RegExp(`\\b${change.column}\\b`, 'g'), `${change.column}_new`);
        drafts.push({
          title: `Build ${idx.name}'s replacement on the new column concurrently`,
          sql: `${definition};`,
          lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
          duration: 'scan',
          transactional: false,
          longRunning: true,
          rollback: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(newName)};`,
        });
      }
      const swap: string[] = [
        `ALTER TABLE ${table} RENAME COLUMN ${col} TO ${old};`,
        `ALTER TABLE ${table} RENAME COLUMN ${tmp} TO ${col};`,
        `DROP TRIGGER IF EXISTS ${fn} ON ${table};`,
      ];
      for (const idx of facts?.columnIndexes ?? []) {
        const newName = quoteIdent(`${idx.name}_new`.slice(0, 63));
        if (idx.primary && idx.constraint !== null) {
          swap.push(`ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(idx.constraint)};`, `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(idx.constraint)} PRIMARY KEY USING INDEX ${newName};`);
        } else {
          swap.push(`DROP INDEX IF EXISTS ${quoteIdent(idx.name)};`, `ALTER INDEX ${newName} RENAME TO ${quoteIdent(idx.name)};`);
        }
      }
      drafts.push(
        {
          title: 'Contract, part 1: swap the columns in one short transaction',
          sql: swap.join('\n'),
          lock: 'ACCESS EXCLUSIVE (instant; metadata only)',
          duration: 'metadata',
          rollback: [`ALTER TABLE ${table} RENAME COLUMN ${col} TO ${tmp};`, `ALTER TABLE ${table} RENAME COLUMN ${old} TO ${col};`, '-- then re-create the sync trigger (step 2)'].join('\n'),
          notes: [
            'foreign keys that reference the column, views and functions that use it must be re-pointed in this transaction too (pg_depend lists them)',
            'an identity/serial column keeps its sequence on the old column: ALTER SEQUENCE … OWNED BY the new column and re-attach the default in this transaction',
          ],
        },
        {
          title: 'Deploy and watch; then drop the old column in a later release',
          sql: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${old};\nDROP FUNCTION IF EXISTS ${fn}();`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: '-- irreversible: keep a backup of the old column until this release is proven',
        },
      );
      break;
    }
    case 'rename-column': {
      const col = quoteIdent(change.column);
      const neu = quoteIdent(change.newName);
      const fn = quoteIdent(`${bare}_${change.column}_${change.newName}_sync`.slice(0, 63));
      description = `rename ${change.table}.${change.column} to ${change.newName}`;
      naiveSql = `ALTER TABLE ${table} RENAME COLUMN ${col} TO ${neu};`;
      naive = { sql: naiveSql, lock: 'ACCESS EXCLUSIVE (instant)', duration: 'metadata', why: 'instant, but every application server still running the old release fails on the old name until it is redeployed' };
      drafts.push(
        {
          title: `Expand: add ${change.newName} with the same type`,
          sql: `${facts?.columnType == null ? `-- replace <type> with the type of ${change.column} (run with --db to fill it in)\n` : ''}ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${neu} ${facts?.columnType ?? '<type>'};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${neu};`,
        },
        {
          title: 'Sync both names on every write',
          sql:
            // old code writes the old name, new code the new one: copy whichever was written to the other
            `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    IF NEW.${neu} IS NULL THEN NEW.${neu} := NEW.${col}; ELSE NEW.${col} := NEW.${neu}; END IF;\n  ELSIF NEW.${neu} IS DISTINCT FROM OLD.${neu} THEN NEW.${col} := NEW.${neu};\n  ELSE NEW.${neu} := NEW.${col}; END IF;\n  RETURN NEW;\nEND $$;\n` +
            `CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE ${pg >= 11 ? 'FUNCTION' : 'PROCEDURE'} ${fn}();`,
          lock: 'SHARE ROW EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `DROP TRIGGER IF EXISTS ${fn} ON ${table};\nDROP FUNCTION IF EXISTS ${fn}();`,
        },
        {
          title: `Backfill ${change.newName} in batches`,
          sql: '',
          lock: 'ROW EXCLUSIVE; row locks only on the current batch',
          duration: 'batched',
          rollback: '-- nothing separate',
          backfill: backfill(`${neu} = ${col}`, `${neu} IS NULL AND ${col} IS NOT NULL`),
          longRunning: true,
        },
        { title: `Deploy code that reads and writes ${change.newName}`, sql: '', lock: 'none', duration: 'deploy', rollback: '-- redeploy the previous release', manual: true },
        {
          title: `Contract: drop the trigger and ${change.column}`,
          sql: `DROP TRIGGER IF EXISTS ${fn} ON ${table};\nDROP FUNCTION IF EXISTS ${fn}();\nALTER TABLE ${table} DROP COLUMN IF EXISTS ${col};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: '-- irreversible once dropped: keep the previous steps until the release is proven',
        },
      );
      break;
    }
    case 'rename-table': {
      const neu = quoteIdent(change.newName);
      description = `rename table ${change.table} to ${change.newName}`;
      naiveSql = `ALTER TABLE ${table} RENAME TO ${neu};`;
      naive = { sql: naiveSql, lock: 'ACCESS EXCLUSIVE (instant)', duration: 'metadata', why: 'instant, but deployed code still queries the old name and fails until redeployed' };
      drafts.push(
        {
          title: 'Rename and leave an updatable view with the old name, in one transaction',
          sql: `ALTER TABLE ${table} RENAME TO ${neu};\nCREATE VIEW ${table} AS SELECT * FROM ${neu};`,
          lock: 'ACCESS EXCLUSIVE (instant)',
          duration: 'metadata',
          rollback: `DROP VIEW IF EXISTS ${table};\nALTER TABLE ${neu} RENAME TO ${quoteIdent(bare)};`,
          notes: ['a simple SELECT * view is automatically updatable: old code keeps reading and writing through it'],
        },
        { title: `Deploy code that uses ${change.newName}`, sql: '', lock: 'none', duration: 'deploy', rollback: '-- redeploy the previous release', manual: true },
        {
          title: 'Drop the compatibility view',
          sql: `DROP VIEW IF EXISTS ${table};`,
          lock: 'ACCESS EXCLUSIVE on the view (instant)',
          duration: 'metadata',
          rollback: `CREATE VIEW ${table} AS SELECT * FROM ${neu};`,
        },
      );
      break;
    }
  }

  if (key === null && drafts.some((d) => d.backfill !== undefined)) {
    assumptions.push('no single integer primary key known: backfill batches pick the next rows still to do by ctid (give --key COLUMN to batch by key range)');
  }
  const steps: PlanStep[] = drafts.map((d, i) => {
    const blocking = d.lock.startsWith('ACCESS EXCLUSIVE') || d.lock.startsWith('SHARE ROW') || d.lock.startsWith('SHARE (');
    return {
      n: i + 1,
      title: d.title,
      sql: d.backfill === undefined ? d.sql : backfillBatchSql(d.backfill),
      lock: d.lock,
      duration: d.duration,
      transactional: d.transactional ?? true,
      lockTimeoutMs: d.manual === true ? null : options.lockTimeoutMs,
      statementTimeoutMs: d.manual === true || d.longRunning === true ? null : options.statementTimeoutMs,
      retry: d.manual === true ? null : { attempts: blocking || d.backfill !== undefined ? options.retries : Math.min(3, options.retries), backoffMs: 1000 },
      rollback: d.rollback,
      notes: d.notes ?? [],
      ...(d.backfill === undefined ? {} : { backfill: d.backfill }),
      ...(d.manual === true ? { manual: true } : {}),
    };
  });
  return { change: { kind: change.kind, description, naiveSql }, pgVersion: pg, steps, naive, assumptions };
}

/** One batch of a backfill; $1 and $2 are the key range [from, to). */
export function backfillBatchSql(b: BackfillSpec): string {
  const t = q(b.table);
  if (b.key !== null) return `UPDATE ${t} SET ${b.set} WHERE ${quoteIdent(b.key)} >= $1 AND ${quoteIdent(b.key)} < $2 AND ${b.pending};`;
  return `UPDATE ${t} SET ${b.set} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${t} WHERE ${b.pending} LIMIT ${b.batchSize}));`;
}

/** A self-contained backfill for SQL files: a DO block that commits per batch (PostgreSQL 11+, run outside a transaction). */
export function backfillDoBlock(b: BackfillSpec, pg: number): string {
  const t = q(b.table);
  const sleep = (b.sleepMs / 1000).toFixed(3);
  if (pg < 11) {
    return `-- PostgreSQL ${pg}: DO blocks cannot COMMIT; run this statement repeatedly (e.g. psql \\watch 0.1) until it updates 0 rows:\n${backfillBatchSql({ ...b, key: null })}`;
  }
  if (b.key === null) {
    return [
      'DO $$',
      'DECLARE n bigint; total bigint := 0;',
      'BEGIN',
      '  LOOP',
      `    ${backfillBatchSql(b)}`,
      '    GET DIAGNOSTICS n = ROW_COUNT;',
      '    EXIT WHEN n = 0;',
      '    total := total + n;',
      '    COMMIT;',
      `    RAISE NOTICE 'backfill ${b.table}: % rows', total;`,
      `    PERFORM pg_sleep(${sleep});`,
      '  END LOOP;',
      'END $$;',
    ].join('\n');
  }
  const k = quoteIdent(b.key);
  return [
    'DO $$',
    'DECLARE lo bigint; top bigint;',
    'BEGIN',
    `  SELECT min(${k}), max(${k}) INTO lo, top FROM ${t};`,
    '  WHILE lo <= top LOOP',
    `    UPDATE ${t} SET ${b.set} WHERE ${k} >= lo AND ${k} < lo + ${b.batchSize} AND ${b.pending};`,
    '    COMMIT;',
    `    RAISE NOTICE 'backfill ${b.table}: % of %', least(lo + ${b.batchSize} - 1, top), top;`,
    `    PERFORM pg_sleep(${sleep});`,
    `    lo := lo + ${b.batchSize};`,
    '  END LOOP;',
    'END $$;',
  ].join('\n');
}
