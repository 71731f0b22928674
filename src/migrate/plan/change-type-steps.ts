import { quoteIdent } from '../../format/format.ts';
import { notNullSteps } from './not-null-steps.ts';
import type { Change } from './parse-change.ts';
import { copyIndexOnColumn } from './rename-in-ddl.ts';
import type { KindPlan, PlanContext, StepDraft } from './step-draft.ts';
import { deployStep, objectName, q, quoteLiteral, triggerKeyword } from './step-draft.ts';

type ChangeType = Extract<Change, { kind: 'change-type' }>;

/**
 * Expand/contract type change: a new column kept in sync by a trigger and backfilled, its indexes
 * built concurrently, then a short swap. The swap leaves the old column fillable (no NOT NULL, no
 * default) because the release still running inserts without it until the old column is dropped.
 */
export function changeTypeSteps(ctx: PlanContext, change: ChangeType): KindPlan {
  const { table, facts } = ctx;
  const colName = change.column;
  const tmpName = objectName(colName, '_new');
  const col = quoteIdent(colName);
  const tmp = quoteIdent(tmpName);
  const old = quoteIdent(objectName(colName, '_old'));
  const fn = quoteIdent(objectName(`${ctx.bare}_${colName}`, '_sync'));
  const naiveSql = `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${change.type}${change.using === null ? '' : ` USING ${change.using}`};`;
  const drafts: StepDraft[] = expandSteps(ctx, change, { col, tmp, tmpName, fn });
  // NOT NULL only when the catalog says the column has it: a nullable column with NULLs would fail VALIDATE
  if (facts?.columnNotNull === true) drafts.push(...notNullSteps(ctx, tmpName));
  if (facts === null) {
    ctx.assumptions.push(`no --db: ${colName} is treated as nullable (the new column gets no NOT NULL) and its indexes, default and foreign keys are unknown; plan with --db to carry them`);
  }
  for (const idx of facts?.columnIndexes ?? []) {
    const newName = objectName(idx.name, '_new');
    drafts.push({
      title: `Build ${idx.name}'s replacement on the new column concurrently`,
      sql: copyIndexOnColumn(idx.definition, colName, tmpName, newName),
      lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
      duration: 'scan',
      transactional: false,
      longRunning: true,
      rollback: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(newName)};`,
    });
  }
  const incoming = facts?.incomingFks ?? [];
  drafts.push(
    {
      title: 'Contract, part 1: swap the columns in one short transaction; the old column stays fillable for the running release',
      sql: swapSql(ctx, change, { col, tmp, old, fn }).join('\n'),
      lock: 'ACCESS EXCLUSIVE (instant; metadata only)',
      duration: 'metadata',
      rollback: [
        `ALTER TABLE ${table} RENAME COLUMN ${col} TO ${tmp};`,
        `ALTER TABLE ${table} RENAME COLUMN ${old} TO ${col};`,
        `-- rows written since the swap have no value in ${colName}: copy them back, then re-create the sync trigger (step 2)`,
      ].join('\n'),
      notes: ['views and functions that use the column must be re-pointed in this transaction too (pg_depend lists them)'],
    },
    ...incoming.map(
      (fk): StepDraft => ({
        title: `Validate ${fk.name} (re-pointed at the new column) without blocking writes`,
        sql: `ALTER TABLE ${q(fk.table)} VALIDATE CONSTRAINT ${quoteIdent(fk.name)};`,
        lock: `SHARE UPDATE EXCLUSIVE on ${fk.table}, ROW SHARE on ${change.table}`,
        duration: 'scan',
        longRunning: true,
        rollback: '-- nothing to undo: validation only marks the constraint valid',
      }),
    ),
    deployStep(`relies on ${colName} being ${change.type}; watch it before dropping the old column`),
    {
      title: `Contract, part 2: drop ${colName}_old and the sync function`,
      sql: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${old};\nDROP FUNCTION IF EXISTS ${fn}();`,
      lock: 'ACCESS EXCLUSIVE (instant)',
      duration: 'metadata',
      rollback: '-- irreversible: keep a backup of the old column until this release is proven',
    },
  );
  return {
    description: `change ${change.table}.${colName} to ${change.type}`,
    naive: { sql: naiveSql, lock: 'ACCESS EXCLUSIVE', duration: 'rewrite', why: 'rewrites the table and rebuilds every index while blocking reads and writes (unless the cast is binary-compatible)' },
    drafts,
  };
}

/** Expand: the new column, the trigger that keeps it in sync, and its batched backfill. */
function expandSteps(ctx: PlanContext, change: ChangeType, n: { col: string; tmp: string; tmpName: string; fn: string }): StepDraft[] {
  const { table, pg } = ctx;
  const { col, tmp, tmpName, fn } = n;
  const colName = change.column;
  const conv = change.using ?? `${col}::${change.type}`;
  const convNew = change.using === null ? `NEW.${col}::${change.type}` : change.using.replace(new RegExp(`\\b${colName}\\b`, 'g'), `NEW.${col}`);
  return [
    {
      title: `Expand: add ${tmpName} ${change.type} (metadata only)`,
      sql: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${tmp} ${change.type};`,
      lock: 'ACCESS EXCLUSIVE (instant)',
      duration: 'metadata',
      rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${tmp};`,
    },
    {
      title: 'Keep the new column in sync on every insert and update',
      sql:
        `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.${tmp} := ${convNew};\n  RETURN NEW;\nEND $$;\n` +
        `CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE OF ${col} ON ${table} FOR EACH ROW EXECUTE ${triggerKeyword(pg)} ${fn}();`,
      lock: 'SHARE ROW EXCLUSIVE (instant)',
      duration: 'metadata',
      rollback: `DROP TRIGGER IF EXISTS ${fn} ON ${table};\nDROP FUNCTION IF EXISTS ${fn}();`,
    },
    {
      title: `Backfill ${tmpName} in batches of ${ctx.options.batchSize}`,
      sql: '',
      lock: 'ROW EXCLUSIVE; row locks only on the current batch',
      duration: 'batched',
      rollback: '-- nothing separate: dropping the new column undoes it',
      backfill: ctx.backfill(`${tmp} = ${conv}`, `${tmp} IS NULL AND ${col} IS NOT NULL`),
      longRunning: true,
    },
  ];
}

function swapSql(ctx: PlanContext, change: ChangeType, n: { col: string; tmp: string; old: string; fn: string }): string[] {
  const { table, facts } = ctx;
  const incoming = facts?.incomingFks ?? [];
  // foreign keys that reference the column depend on its unique index: move them with it
  const swap: string[] = incoming.map((fk) => `ALTER TABLE ${q(fk.table)} DROP CONSTRAINT ${quoteIdent(fk.name)};`);
  swap.push(`DROP TRIGGER IF EXISTS ${n.fn} ON ${table};`, `ALTER TABLE ${table} RENAME COLUMN ${n.col} TO ${n.old};`, `ALTER TABLE ${table} RENAME COLUMN ${n.tmp} TO ${n.col};`);
  for (const idx of facts?.columnIndexes ?? []) {
    const newName = quoteIdent(objectName(idx.name, '_new'));
    if (idx.constraint !== null && (idx.primary || idx.unique)) {
      const kind = idx.primary ? 'PRIMARY KEY' : 'UNIQUE';
      swap.push(`ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(idx.constraint)};`, `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(idx.constraint)} ${kind} USING INDEX ${newName};`);
    } else {
      swap.push(`DROP INDEX IF EXISTS ${q(idx.name)};`, `ALTER INDEX ${newName} RENAME TO ${quoteIdent(idx.name)};`);
    }
  }
  // the running release does not know the old column: it must accept rows without it
  if (facts?.columnIdentity === true) {
    // the identity moves to the new column and continues after the highest value in use
    swap.push(
      `ALTER TABLE ${table} ALTER COLUMN ${n.old} DROP IDENTITY IF EXISTS;`,
      `ALTER TABLE ${table} ALTER COLUMN ${n.col} ADD GENERATED BY DEFAULT AS IDENTITY;`,
      `SELECT setval(pg_get_serial_sequence(${quoteLiteral(table)}, ${quoteLiteral(change.column)}), coalesce(max(${n.col}), 0) + 1, false) FROM ${table};`,
    );
  }
  // after the primary key moved (above) the old column may drop NOT NULL
  swap.push(`ALTER TABLE ${table} ALTER COLUMN ${n.old} DROP NOT NULL;`);
  if (facts?.columnDefault != null) {
    swap.push(`ALTER TABLE ${table} ALTER COLUMN ${n.old} DROP DEFAULT;`, `ALTER TABLE ${table} ALTER COLUMN ${n.col} SET DEFAULT ${facts.columnDefault};`);
  }
  if (facts?.ownedSequence != null) swap.push(`ALTER SEQUENCE ${q(facts.ownedSequence)} OWNED BY ${table}.${n.col};`);
  for (const fk of incoming) swap.push(`ALTER TABLE ${q(fk.table)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition} NOT VALID;`);
  return swap;
}
