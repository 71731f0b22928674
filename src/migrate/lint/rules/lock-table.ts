import { child, list, rangeVarName } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const lockTable: LintRuleModule = {
  meta: {
    id: "lock-table",
    level: "warning",
    title: "Explicit LOCK TABLE",
    squawk: [],
    strongMigrations: "execute (review)",
    why: "An explicit strong lock held for the rest of the transaction blocks the table's traffic for all of it.",
    recipe: "-- avoid explicit locks in migrations; if one is needed keep the transaction tiny and set lock_timeout first",
  },
  valid: [
    "SELECT 1;",
  ],
  invalid: [
    "LOCK TABLE users IN ACCESS EXCLUSIVE MODE;",
  ],
  check(ctx) {
    if (ctx.kind === 'LockStmt') ctx.report(`LOCK TABLE ${list(ctx.node.relations).map((r) => rangeVarName(child(r, 'RangeVar'))).join(', ')}`);
  },
};
