import { quoteIdent } from '../../format/format.ts';
import type { PlanContext, StepDraft } from './step-draft.ts';
import { objectName } from './step-draft.ts';

/** NOT NULL without a long ACCESS EXCLUSIVE scan: CHECK … NOT VALID, VALIDATE, then SET NOT NULL on 12+ (which trusts the CHECK). */
export function notNullSteps(ctx: PlanContext, column: string): StepDraft[] {
  const { table, pg } = ctx;
  // not "_not_null": PostgreSQL 18 names the catalogued NOT NULL constraint that way
  const check = quoteIdent(objectName(`${ctx.bare}_${column}`, '_not_null_check'));
  const col = quoteIdent(column);
  const addCheck: StepDraft = {
    title: `Add CHECK (${column} IS NOT NULL) NOT VALID (new and updated rows are checked, existing rows are not scanned)`,
    sql: `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;`,
    lock: 'ACCESS EXCLUSIVE (instant)',
    duration: 'metadata',
    rollback: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${check};`,
  };
  if (pg < 12) {
    return [
      addCheck,
      {
        title: 'Validate the CHECK without blocking; keep it as the NOT NULL guarantee',
        sql: `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`,
        lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
        duration: 'scan',
        rollback: '-- nothing to undo',
        longRunning: true,
        notes: [
          `PostgreSQL ${pg} cannot use a CHECK to skip the SET NOT NULL scan (12+ can): SET NOT NULL would block reads and writes for a full scan, so the validated CHECK stays as the constraint`,
        ],
      },
    ];
  }
  return [
    addCheck,
    {
      title: 'Validate the CHECK: scans the table without blocking reads or writes',
      sql: `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`,
      lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
      duration: 'scan',
      rollback: '-- nothing to undo: validation only marks the constraint valid',
      longRunning: true,
    },
    {
      title: `SET NOT NULL: PostgreSQL ${pg} uses the valid CHECK as proof and skips the scan`,
      sql: `ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL;`,
      lock: 'ACCESS EXCLUSIVE (instant)',
      duration: 'metadata',
      rollback: `ALTER TABLE ${table} ALTER COLUMN ${col} DROP NOT NULL;`,
      notes: pg >= 18 ? ['on 18+ ADD CONSTRAINT … NOT NULL … NOT VALID followed by VALIDATE CONSTRAINT is an alternative that needs no CHECK'] : [],
    },
    {
      title: 'Drop the now redundant CHECK',
      sql: `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${check};`,
      lock: 'ACCESS EXCLUSIVE (instant)',
      duration: 'metadata',
      rollback: `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;`,
    },
  ];
}
