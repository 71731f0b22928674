import { alterCmds, qn } from './rule-helpers.ts';
import { text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banDropNotNull: LintRuleModule = {
  meta: {
    id: "ban-drop-not-null",
    level: "warning",
    title: "Dropping NOT NULL can break code that relies on it",
    squawk: ["ban-drop-not-null"],
    why: "Readers that assume the column is never NULL (generated types, joins, aggregates) start seeing NULLs; the change is hard to reverse once NULLs are written.",
    recipe: "-- make sure every reader handles NULL first\n-- then, with the review recorded in the migration:\n-- db-optimize-ignore ban-drop-not-null\nALTER TABLE t ALTER COLUMN c DROP NOT NULL;",
  },
  valid: [
    "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';",
  ],
  invalid: [
    "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
  ],
  check(ctx) {
    for (const a of alterCmds(ctx)) {
      if (a.sub !== 'AT_DropNotNull') continue;
      const col = text(a.cmd, 'name') ?? '?';
      ctx.report(`DROP NOT NULL on ${a.table}.${col}`, {
        recipe: `-- make sure every reader handles NULL in ${col} first, then record the review:\n-- db-optimize-ignore ban-drop-not-null\nALTER TABLE ${qn(a.table)} ALTER COLUMN ${qn(col)} DROP NOT NULL;`,
      });
    }
  },
};
