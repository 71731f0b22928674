import { alterCmds, qn } from './rule-helpers.ts';
import { text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banDropColumn: LintRuleModule = {
  meta: {
    id: "ban-drop-column",
    level: "warning",
    title: "Dropping a column breaks running code",
    squawk: ["ban-drop-column"],
    strongMigrations: "remove_column",
    why: "Application servers still running the old release select or insert the column and fail (ORMs list every column in INSERT/SELECT); the data is gone without a rollback path.",
    recipe: "-- deploy code that no longer reads or writes the column first\n-- then, with the review recorded in the migration:\n-- db-optimize-ignore ban-drop-column\nALTER TABLE t DROP COLUMN IF EXISTS c;",
  },
  valid: [
    "-- db-optimize-ignore ban-drop-column\nALTER TABLE users DROP COLUMN IF EXISTS legacy;",
    "CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;",
  ],
  invalid: [
    "ALTER TABLE users DROP COLUMN legacy;",
  ],
  check(ctx) {
    for (const a of alterCmds(ctx)) {
      if (a.sub !== 'AT_DropColumn') continue;
      const col = text(a.cmd, 'name') ?? '?';
      ctx.report(`DROP COLUMN ${a.table}.${col}`, {
        recipe: `-- first deploy code that no longer reads or writes ${col} (Rails ignored_columns, Django: remove the field in an earlier release)\n-- then, in a later migration, with the review recorded:\n-- db-optimize-ignore ban-drop-column\nALTER TABLE ${qn(a.table)} DROP COLUMN IF EXISTS ${qn(col)};`,
      });
    }
  },
};
