import { quoteIdent } from '../../format/format.ts';
import { notNullSteps } from './not-null-steps.ts';
import type { Change } from './parse-change.ts';
import type { KindPlan, PlanContext, StepDraft } from './step-draft.ts';
import { objectName, q } from './step-draft.ts';

/** CREATE [UNIQUE] INDEX CONCURRENTLY, outside a transaction. */
export function addIndexSteps(ctx: PlanContext, change: Extract<Change, { kind: 'add-index' }>): KindPlan {
  const unique = change.unique ? 'UNIQUE ' : '';
  const name = quoteIdent(change.name);
  return {
    description: `add ${change.unique ? 'unique ' : ''}index ${change.name} on ${change.table} ${change.body}`,
    naive: { sql: `CREATE ${unique}INDEX ${name} ON ${ctx.table} ${change.body};`, lock: 'SHARE', duration: 'scan', why: 'blocks every INSERT, UPDATE and DELETE for the whole index build' },
    drafts: [
      {
        title: 'Build the index concurrently (outside a transaction)',
        sql: `CREATE ${unique}INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${ctx.table} ${change.body};`,
        lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue; waits for older transactions)',
        duration: 'scan',
        transactional: false,
        longRunning: true,
        rollback: `DROP INDEX CONCURRENTLY IF EXISTS ${name};`,
        notes: [
          `if it fails (deadlock, ${change.unique ? 'duplicate key, ' : ''}cancel) it leaves an INVALID index: DROP INDEX CONCURRENTLY IF EXISTS ${change.name}; then retry`,
          `verify: SELECT indisvalid FROM pg_index WHERE indexrelid = '${change.name}'::regclass;`,
        ],
      },
    ],
  };
}

/** Index the referencing columns, add the FK NOT VALID, then VALIDATE. */
export function addFkSteps(ctx: PlanContext, change: Extract<Change, { kind: 'add-fk' }>): KindPlan {
  const { table, facts } = ctx;
  const cols = change.columns.map(quoteIdent).join(', ');
  const refs = change.refColumns.map(quoteIdent).join(', ');
  const name = quoteIdent(change.name);
  const drafts: StepDraft[] = [];
  if (facts?.fkIndexed !== true) {
    const idx = quoteIdent(objectName(`${ctx.bare}_${change.columns.join('_')}`, '_idx'));
    drafts.push({
      title: `Index the referencing column${change.columns.length > 1 ? 's' : ''} first (parent deletes and joins need it)`,
      sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${idx} ON ${table} (${cols});`,
      lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
      duration: 'scan',
      transactional: false,
      longRunning: true,
      rollback: `DROP INDEX CONCURRENTLY IF EXISTS ${idx};`,
      notes: facts === null ? ['skip this step if an index already leads with these columns'] : [],
    });
  }
  drafts.push(
    {
      title: 'Add the foreign key NOT VALID (new rows are checked, existing rows are not scanned)',
      sql: `ALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (${cols}) REFERENCES ${q(change.refTable)} (${refs}) NOT VALID;`,
      lock: `SHARE ROW EXCLUSIVE on ${change.table} and ${change.refTable} (instant)`,
      duration: 'metadata',
      rollback: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${name};`,
    },
    {
      title: 'Validate existing rows without blocking writes',
      sql: `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name};`,
      lock: `SHARE UPDATE EXCLUSIVE on ${change.table}, ROW SHARE on ${change.refTable}`,
      duration: 'scan',
      longRunning: true,
      rollback: '-- nothing to undo: the constraint stays NOT VALID if this fails; find orphans with a LEFT JOIN … WHERE parent IS NULL',
    },
  );
  return {
    description: `add foreign key ${change.table}(${change.columns.join(', ')}) → ${change.refTable}(${change.refColumns.join(', ')})`,
    naive: {
      sql: `ALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (${cols}) REFERENCES ${q(change.refTable)} (${refs});`,
      lock: 'SHARE ROW EXCLUSIVE on both tables',
      duration: 'scan',
      why: 'validates every existing row while writes to both tables wait',
    },
    drafts,
  };
}

/** Check that no NULL is left, then the NOT NULL steps. */
export function setNotNullSteps(ctx: PlanContext, change: Extract<Change, { kind: 'set-not-null' }>): KindPlan {
  const col = quoteIdent(change.column);
  const naiveSql = `ALTER TABLE ${ctx.table} ALTER COLUMN ${col} SET NOT NULL;`;
  return {
    description: `set ${change.table}.${change.column} NOT NULL`,
    naive: { sql: naiveSql, lock: 'ACCESS EXCLUSIVE', duration: 'scan', why: 'scans every row to prove there is no NULL while blocking reads and writes' },
    drafts: [
      {
        title: `Check that no NULL is left (fix them first with a batched UPDATE)`,
        sql: `SELECT count(*) AS nulls_left FROM ${ctx.table} WHERE ${col} IS NULL;`,
        lock: 'ACCESS SHARE',
        duration: 'scan',
        rollback: '-- read only',
        longRunning: true,
      },
      ...notNullSteps(ctx, change.column),
    ],
  };
}
