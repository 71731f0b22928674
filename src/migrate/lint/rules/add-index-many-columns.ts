import { list, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const addIndexManyColumns: LintRuleModule = {
  meta: {
    id: "add-index-many-columns",
    level: "info",
    title: "Index with more than three columns",
    squawk: [],
    strongMigrations: "add_index_columns (best practice)",
    why: "Wide btree indexes are large and slow to maintain; columns past the third rarely help the planner.",
    recipe: "-- keep the selective leading columns; move payload columns to INCLUDE (…)",
  },
  valid: [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a, b) INCLUDE (c, d);",
  ],
  invalid: [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a, b, c, d);",
  ],
  check(ctx) {
    if (ctx.kind === 'IndexStmt' && list(ctx.node.indexParams).length > 3) ctx.report(`index ${text(ctx.node, 'idxname') ?? ''} has ${list(ctx.node.indexParams).length} key columns`);
  },
};
