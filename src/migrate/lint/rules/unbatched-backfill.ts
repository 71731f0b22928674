import { bareName, MIGRATION_BOOKKEEPING } from './rule-helpers.ts';
import { rangeVarName } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const unbatchedBackfill: LintRuleModule = {
  meta: {
    id: "unbatched-backfill",
    level: "warning",
    title: "UPDATE/DELETE of every row in one statement",
    squawk: [],
    strongMigrations: "backfill",
    why: "One statement that touches every row holds row locks on all of them until commit, doubles the table on disk until vacuum, and can lag replicas.",
    recipe: "-- batch by key range, one transaction per batch, with a pause; db-optimize migrate plan generates it:\nUPDATE t SET c = 0 WHERE id >= $1 AND id < $2 AND c IS NULL;",
  },
  valid: [
    "UPDATE users SET tier = 'free' WHERE id >= 1 AND id < 5001 AND tier IS NULL;",
    "UPDATE alembic_version SET version_num = 'abc123';",
  ],
  invalid: [
    "UPDATE users SET tier = 'free';",
  ],
  check(ctx) {
    if ((ctx.kind !== 'UpdateStmt' && ctx.kind !== 'DeleteStmt') || ctx.node.whereClause !== undefined) return;

    const table = rangeVarName(ctx.node.relation);
    // the migration tool's own bookkeeping row (alembic_version, schema_migrations…) is not a data backfill
    if (MIGRATION_BOOKKEEPING.has(bareName(table).toLowerCase())) return;

    if (!ctx.existing(table)) return;
    ctx.report(`${ctx.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE'} without WHERE touches every row of ${table} in one transaction`);
  },
};
