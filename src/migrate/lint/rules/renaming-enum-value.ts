import { strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const renamingEnumValue: LintRuleModule = {
  meta: {
    id: "renaming-enum-value",
    level: "warning",
    title: "Enum value renamed under running code",
    squawk: [],
    why: "ALTER TYPE … RENAME VALUE is instant, but the release still running sends the old label: its inserts fail with \"invalid input value for enum\" and its WHERE clauses stop matching.",
    recipe: "-- add the new label (ALTER TYPE e ADD VALUE IF NOT EXISTS 'new' AFTER 'old'), deploy code that accepts both, migrate rows in batches, then stop writing the old label",
  },
  valid: [
    "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'calm' AFTER 'ok';",
  ],
  invalid: [
    "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';",
  ],
  check(ctx) {
    if (ctx.kind !== 'AlterEnumStmt' || text(ctx.node, 'oldVal') === undefined) return;
    const type = strings(ctx.node.typeName).join('.');
    ctx.report(`RENAME VALUE '${text(ctx.node, 'oldVal') ?? ''}' TO '${text(ctx.node, 'newVal') ?? ''}' in ${type}: running code that writes or compares the old label fails or stops matching`);
  },
};
