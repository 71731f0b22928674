import { bareName, MIGRATION_BOOKKEEPING } from './rule-helpers.ts';
import { rangeVarName } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const backfillInDdlTransaction: LintRuleModule = {
  meta: {
    id: "backfill-in-ddl-transaction",
    level: "warning",
    title: "Backfill in the same transaction as DDL",
    squawk: [],
    strongMigrations: "backfill (disable_ddl_transaction!)",
    why: "An UPDATE/DELETE in the transaction of an ALTER TABLE keeps the ALTER's ACCESS EXCLUSIVE lock for the whole backfill, and one huge UPDATE bloats the table and the WAL.",
    recipe: "-- run the DDL and commit; then backfill in batches of a few thousand rows, one transaction each, with a pause between batches",
  },
  valid: [
    "BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS tier text;\nUPDATE alembic_version SET version_num = 'abc123' WHERE version_num = 'abc122';\nCOMMIT;",
  ],
  invalid: [
    "BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS tier text;\nUPDATE users SET tier = 'free' WHERE tier IS NULL;\nCOMMIT;",
  ],
  check(ctx) {
    if ((ctx.kind !== 'UpdateStmt' && ctx.kind !== 'DeleteStmt') || !ctx.inTransaction || ctx.state.ddlTables.size === 0) return;

    const table = rangeVarName(ctx.node.relation);
    // the migration tool's own bookkeeping row (alembic_version, schema_migrations…) is not a data backfill
    if (MIGRATION_BOOKKEEPING.has(bareName(table).toLowerCase())) return;

    ctx.report(`${ctx.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE'} of ${table} runs while this transaction holds ACCESS EXCLUSIVE on ${[...ctx.state.ddlTables].join(', ')}`);
  },
};
