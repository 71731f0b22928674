import { text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banDropDatabase: LintRuleModule = {
  meta: {
    id: "ban-drop-database",
    level: "critical",
    title: "DROP DATABASE in a migration",
    squawk: ["ban-drop-database"],
    why: "Irreversible loss of every table; a migration should never do this.",
    recipe: "-- remove it from the migration; drop databases by hand, after a backup",
  },
  valid: [
    "DROP TABLE IF EXISTS tmp_import;",
  ],
  invalid: [
    "DROP DATABASE legacy;",
  ],
  check(ctx) {
    if (ctx.kind === 'DropdbStmt') ctx.report(`DROP DATABASE ${text(ctx.node, 'dbname') ?? ''}`);
  },
};
