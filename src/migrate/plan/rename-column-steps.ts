import { quoteIdent } from '../../format/format.ts';
import { notNullSteps } from './not-null-steps.ts';
import type { Change } from './parse-change.ts';
import type { FkSide } from './rename-in-ddl.ts';
import { copyConstraintOnColumn, copyIndexOnColumn, renamedObjectName } from './rename-in-ddl.ts';
import type { KindPlan, PlanContext, StepDraft } from './step-draft.ts';
import { deployStep, objectName, q, quoteLiteral, triggerKeyword } from './step-draft.ts';
import type { ConstraintFact } from './table-facts.ts';

type RenameColumn = Extract<Change, { kind: 'rename-column' }>;

/** A copy of an index or constraint on the new column: its final name, and the temporary one while the old object still holds it. */
interface Copy {
  readonly original: string;
  readonly final: string;
  readonly temporary: string;
}

function copyName(name: string, from: string, to: string): Copy {
  const renamed = renamedObjectName(name, from, to);
  return { original: name, final: renamed ?? name, temporary: renamed ?? objectName(name, '_new') };
}

/**
 * Rename by expand/contract: a second column kept in sync both ways, backfilled, given the old
 * column's NOT NULL, indexes, CHECKs and foreign keys (both directions) before the deploy; the
 * contract step moves the default, sequence and constraint names and drops the old column.
 */
export function renameColumnSteps(ctx: PlanContext, change: RenameColumn): KindPlan {
  const { table, pg, facts } = ctx;
  const col = quoteIdent(change.column);
  const neu = quoteIdent(change.newName);
  const fn = quoteIdent(objectName(`${ctx.bare}_${change.column}_${change.newName}`, '_sync'));
  const type = facts?.columnType ?? null;
  if (facts === null) {
    ctx.assumptions.push(`no --db: the type, NOT NULL, default, indexes and foreign keys of ${change.column} are unknown and not carried to ${change.newName}; plan with --db`);
  }
  const drafts: StepDraft[] = [
    {
      title: `Expand: add ${change.newName} with the same type`,
      sql: `${type === null ? `-- replace <type> with the type of ${change.column} (run with --db to fill it in)\n` : ''}ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${neu} ${type ?? '<type>'};`,
      lock: 'ACCESS EXCLUSIVE (instant)',
      duration: 'metadata',
      rollback: `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${neu};`,
    },
    {
      title: 'Sync both names on every write',
      sql:
        // old code writes the old name, new code the new one: copy whichever was written to the other
        `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    IF NEW.${neu} IS NULL THEN NEW.${neu} := NEW.${col}; ELSE NEW.${col} := NEW.${neu}; END IF;\n  ELSIF NEW.${neu} IS DISTINCT FROM OLD.${neu} THEN NEW.${col} := NEW.${neu};\n  ELSE NEW.${neu} := NEW.${col}; END IF;\n  RETURN NEW;\nEND $$;\n` +
        `CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE ${triggerKeyword(pg)} ${fn}();`,
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
      backfill: ctx.backfill(`${neu} = ${col}`, `${neu} IS NULL AND ${col} IS NOT NULL`),
      longRunning: true,
    },
  ];
  if (facts?.columnNotNull === true) drafts.push(...notNullSteps(ctx, change.newName));
  const copies = carryObjects(ctx, change, drafts);
  drafts.push(deployStep(`reads and writes ${change.newName}`), contractStep(ctx, change, fn, copies));
  return {
    description: `rename ${change.table}.${change.column} to ${change.newName}`,
    naive: {
      sql: `ALTER TABLE ${table} RENAME COLUMN ${col} TO ${neu};`,
      lock: 'ACCESS EXCLUSIVE (instant)',
      duration: 'metadata',
      why: 'instant, but every application server still running the old release fails on the old name until it is redeployed',
    },
    drafts,
  };
}

interface Carried {
  readonly indexes: readonly (Copy & { readonly constraint: string | null; readonly primary: boolean; readonly unique: boolean })[];
  readonly constraints: readonly (Copy & { readonly owner: string })[];
}

/** Steps that build the old column's indexes and constraints on the new one; returns the names to settle at contract time. */
function carryObjects(ctx: PlanContext, change: RenameColumn, drafts: StepDraft[]): Carried {
  const { facts, table } = ctx;
  const indexes: Carried['indexes'][number][] = [];
  for (const idx of facts?.columnIndexes ?? []) {
    const c = copyName(idx.name, change.column, change.newName);
    indexes.push({ ...c, constraint: idx.constraint, primary: idx.primary, unique: idx.unique });
    drafts.push({
      title: `Build ${idx.name}'s copy on ${change.newName} concurrently${idx.unique ? ' (unique, so foreign keys can reference it)' : ''}`,
      sql: copyIndexOnColumn(idx.definition, change.column, change.newName, c.temporary),
      lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
      duration: 'scan',
      transactional: false,
      longRunning: true,
      rollback: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(c.temporary)};`,
    });
  }
  const constraints: Carried['constraints'][number][] = [];
  const carry = (owner: string, fact: ConstraintFact, side: FkSide | 'check'): void => {
    const c = copyName(fact.name, change.column, change.newName);
    constraints.push({ ...c, owner });
    const name = quoteIdent(c.temporary);
    drafts.push(
      {
        title: `Copy ${fact.name} onto ${change.newName} NOT VALID (checked for new rows only)`,
        sql: copyConstraintOnColumn(owner, fact.definition, change.column, change.newName, c.temporary, side),
        lock: side === 'check' ? 'ACCESS EXCLUSIVE (instant)' : 'SHARE ROW EXCLUSIVE on both tables (instant)',
        duration: 'metadata',
        rollback: `ALTER TABLE ${owner} DROP CONSTRAINT IF EXISTS ${name};`,
      },
      {
        title: `Validate ${c.temporary} without blocking writes`,
        sql: `ALTER TABLE ${owner} VALIDATE CONSTRAINT ${name};`,
        lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
        duration: 'scan',
        longRunning: true,
        rollback: '-- nothing to undo: validation only marks the constraint valid',
      },
    );
  };
  for (const c of facts?.checks ?? []) carry(table, c, 'check');
  for (const fk of facts?.outgoingFks ?? []) carry(table, fk, 'referencing');
  for (const fk of facts?.incomingFks ?? []) carry(q(fk.table), fk, 'referenced');
  return { indexes, constraints };
}

function contractStep(ctx: PlanContext, change: RenameColumn, fn: string, carried: Carried): StepDraft {
  const { table, facts } = ctx;
  const col = quoteIdent(change.column);
  const neu = quoteIdent(change.newName);
  const sql: string[] = [`DROP TRIGGER IF EXISTS ${fn} ON ${table};`, `DROP FUNCTION IF EXISTS ${fn}();`];
  // foreign keys from other tables block DROP COLUMN: drop the old ones, their copies already hold
  for (const fk of facts?.incomingFks ?? []) sql.push(`ALTER TABLE ${q(fk.table)} DROP CONSTRAINT IF EXISTS ${quoteIdent(fk.name)};`);
  if (facts?.columnDefault != null) sql.push(`ALTER TABLE ${table} ALTER COLUMN ${col} DROP DEFAULT;`, `ALTER TABLE ${table} ALTER COLUMN ${neu} SET DEFAULT ${facts.columnDefault};`);
  if (facts?.ownedSequence != null) sql.push(`ALTER SEQUENCE ${q(facts.ownedSequence)} OWNED BY ${table}.${neu};`);
  if (facts?.columnIdentity === true) {
    sql.push(
      `ALTER TABLE ${table} ALTER COLUMN ${col} DROP IDENTITY IF EXISTS;`,
      `ALTER TABLE ${table} ALTER COLUMN ${neu} ADD GENERATED BY DEFAULT AS IDENTITY;`,
      `SELECT setval(pg_get_serial_sequence(${quoteLiteral(table)}, ${quoteLiteral(change.newName)}), coalesce(max(${neu}), 0) + 1, false) FROM ${table};`,
    );
  }
  sql.push(`ALTER TABLE ${table} DROP COLUMN IF EXISTS ${col};`);
  for (const idx of carried.indexes) {
    if (idx.constraint !== null && (idx.primary || idx.unique)) {
      const name = idx.primary ? idx.constraint : (renamedObjectName(idx.constraint, change.column, change.newName) ?? idx.constraint);
      sql.push(`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} ${idx.primary ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${quoteIdent(idx.temporary)};`);
    } else if (idx.temporary !== idx.final) {
      sql.push(`ALTER INDEX ${quoteIdent(idx.temporary)} RENAME TO ${quoteIdent(idx.final)};`);
    }
  }
  for (const c of carried.constraints) {
    if (c.temporary !== c.final) sql.push(`ALTER TABLE ${c.owner} RENAME CONSTRAINT ${quoteIdent(c.temporary)} TO ${quoteIdent(c.final)};`);
  }
  return {
    title: `Contract: drop the trigger and ${change.column}; ${change.newName} takes over its default and constraint names`,
    sql: sql.join('\n'),
    lock: 'ACCESS EXCLUSIVE (instant)',
    duration: 'metadata',
    rollback: '-- irreversible once dropped: keep the previous steps until the release is proven',
    notes: ['views and functions that use the old column block DROP COLUMN: re-create them on the new name in this transaction (pg_depend lists them)'],
  };
}
