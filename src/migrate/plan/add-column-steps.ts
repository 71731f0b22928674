import { quoteIdent } from '../../format/format.ts';
import { notNullSteps } from './not-null-steps.ts';
import type { Change } from './parse-change.ts';
import type { KindPlan, PlanContext, StepDraft } from './step-draft.ts';

type AddColumn = Extract<Change, { kind: 'add-column' }>;

/** ADD COLUMN: one metadata step when PostgreSQL stores the default once, else add / default / backfill / NOT NULL. */
export function addColumnSteps(ctx: PlanContext, change: AddColumn): KindPlan {
  const { table, pg, options } = ctx;
  const col = quoteIdent(change.column);
  const def = change.defaultSql;
  const tail = `${change.notNull ? ' NOT NULL' : ''}${def === null ? '' : ` DEFAULT ${def}`}`;
  const description = `add column ${change.table}.${change.column} ${change.type}${tail}`;
  const naiveSql = `ALTER TABLE ${table} ADD COLUMN ${col} ${change.type}${tail};`;
  const addNullable: StepDraft = {
    title: `Add ${change.column} as a nullable column${def === null ? '' : ' without default'} (metadata only)`,
    sql: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${col} ${change.type};`,
    lock: 'ACCESS EXCLUSIVE (instant)',
    duration: 'metadata',
    rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${col};`,
  };
  if (change.notNull && def === null) {
    addNullable.notes = [
      'NOT NULL without a default needs a value for existing rows: deploy code that writes the column, backfill it, then run the NOT NULL steps (db-optimize migrate plan --set-not-null)',
    ];
    return { description, naive: { sql: naiveSql, lock: 'ACCESS EXCLUSIVE', duration: 'scan', why: 'fails on a non-empty table: existing rows would be NULL' }, drafts: [addNullable] };
  }
  const storedOnce = def !== null && pg >= 11 && (change.defaultKind === 'constant' || change.defaultKind === 'non-volatile');
  if (def === null || storedOnce) {
    const why = def === null ? 'a nullable column without default is a catalog change only' : `on PostgreSQL ${pg} a ${change.defaultKind} default is evaluated once and stored in the catalog: no rewrite`;
    return {
      description,
      naive: { sql: naiveSql, lock: 'ACCESS EXCLUSIVE (instant)', duration: 'metadata', why },
      drafts: [
        {
          title: `Add ${change.column}${def === null ? '' : ' with its default'} (metadata only on PostgreSQL ${pg})`,
          sql: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${col} ${change.type}${tail};`,
          lock: 'ACCESS EXCLUSIVE (instant once acquired)',
          duration: 'metadata',
          rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${col};`,
          notes: [
            'the only risk is waiting for the lock behind a long transaction: lock_timeout makes it give up instead of queueing traffic behind it, then it is retried',
            ...(change.defaultKind === 'non-volatile' ? [`${def} is evaluated once, at ALTER time: every existing row gets the same value`] : []),
          ],
        },
      ],
    };
  }
  const why =
    change.defaultKind === 'volatile'
      ? `${def} is volatile: ADD COLUMN computes it per row, rewriting the whole table and its indexes while holding ACCESS EXCLUSIVE`
      : change.defaultKind === 'unknown-function'
        ? `${def} calls a function whose volatility is unknown here: if it is VOLATILE the whole table is rewritten under ACCESS EXCLUSIVE`
        : `PostgreSQL ${pg} (before 11) writes a default into every row: full rewrite under ACCESS EXCLUSIVE`;
  const drafts: StepDraft[] = [
    addNullable,
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
      backfill: ctx.backfill(`${col} = ${def}`, `${col} IS NULL`),
      longRunning: true,
      notes: [
        'each batch commits: a crash or Ctrl-C loses at most one batch and re-running continues where it stopped (it only touches rows still NULL)',
        'watch replication lag and raise the pause if replicas fall behind',
      ],
    },
  ];
  if (change.notNull) drafts.push(...notNullSteps(ctx, change.column));
  return { description, naive: { sql: naiveSql, lock: 'ACCESS EXCLUSIVE', duration: 'rewrite', why }, drafts };
}
