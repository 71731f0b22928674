import { quoteIdent } from '../../format/format.ts';
import type { Change } from './parse-change.ts';
import type { KindPlan, PlanContext } from './step-draft.ts';
import { deployStep, objectName } from './step-draft.ts';

type RenameTable = Extract<Change, { kind: 'rename-table' }>;

/** The statements that give indexes, constraints and sequences named after the table the new table name. */
function renameNamedObjects(ctx: PlanContext, change: RenameTable, reverse: boolean): string[] {
  const schema = change.table.includes('.') ? `${quoteIdent(change.table.split('.')[0] ?? '')}.` : '';
  const newTable = `${schema}${quoteIdent(change.newName)}`;
  return (ctx.facts?.namedAfterTable ?? []).map((o) => {
    // the same derived name both ways, so the rollback finds what the rename made (hashed when cut)
    const moved = objectName(change.newName, o.name.slice(ctx.bare.length));
    const [current, renamed] = reverse ? [moved, o.name] : [o.name, moved];
    if (o.kind === 'constraint') return `ALTER TABLE ${newTable} RENAME CONSTRAINT ${quoteIdent(current)} TO ${quoteIdent(renamed)};`;
    return `ALTER ${o.kind === 'index' ? 'INDEX' : 'SEQUENCE'} ${schema}${quoteIdent(current)} RENAME TO ${quoteIdent(renamed)};`;
  });
}

/** Rename the table and leave an auto-updatable view under the old name until the new code is deployed. */
export function renameTableSteps(ctx: PlanContext, change: RenameTable): KindPlan {
  const { table } = ctx;
  const schema = change.table.includes('.') ? `${quoteIdent(change.table.split('.')[0] ?? '')}.` : '';
  const neu = `${schema}${quoteIdent(change.newName)}`;
  const renames = renameNamedObjects(ctx, change, false);
  // the old release may connect as a role that only has rights on the table: give it the same on the view
  const grants = (ctx.facts?.tableGrants ?? []).map((g) => `GRANT ${g.privileges.join(', ')} ON ${table} TO ${g.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(g.grantee)};`);
  return {
    description: `rename table ${change.table} to ${change.newName}`,
    naive: { sql: `ALTER TABLE ${table} RENAME TO ${quoteIdent(change.newName)};`, lock: 'ACCESS EXCLUSIVE (instant)', duration: 'metadata', why: 'instant, but deployed code still queries the old name and fails until redeployed' },
    drafts: [
      {
        title: 'Rename and leave an updatable view with the old name, in one transaction',
        sql: [`ALTER TABLE ${table} RENAME TO ${quoteIdent(change.newName)};`, `CREATE VIEW ${table} AS SELECT * FROM ${neu};`, ...grants].join('\n'),
        lock: 'ACCESS EXCLUSIVE (instant)',
        duration: 'metadata',
        rollback: `DROP VIEW IF EXISTS ${table};\nALTER TABLE ${neu} RENAME TO ${quoteIdent(ctx.bare)};`,
        notes: [
          'a simple SELECT * view is automatically updatable and uses the table defaults: old code keeps reading and writing through it',
          'foreign keys, grants and triggers follow the table (they point at its oid, not its name); the view gets the table grants' +
            (ctx.facts === null ? ' only when planned with --db: without it, GRANT the old release the same rights on the view' : ''),
        ],
      },
      deployStep(`uses ${change.newName}`),
      {
        title: `Drop the compatibility view${renames.length > 0 ? ` and name the table's indexes, constraints and sequences after ${change.newName}` : ''}`,
        sql: [`DROP VIEW IF EXISTS ${table};`, ...renames].join('\n'),
        lock: 'ACCESS EXCLUSIVE on the view (instant)',
        duration: 'metadata',
        rollback: [`CREATE VIEW ${table} AS SELECT * FROM ${neu};`, ...renameNamedObjects(ctx, change, true)].join('\n'),
      },
    ],
  };
}
