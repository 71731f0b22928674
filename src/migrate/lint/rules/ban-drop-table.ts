import { child, list, strings, text } from '../../pg-ast.ts';
import { qn } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banDropTable: LintRuleModule = {
  meta: {
    id: "ban-drop-table",
    level: "warning",
    title: "Dropping a table breaks running code",
    squawk: ["ban-drop-table"],
    strongMigrations: "drop_table",
    why: "Code still deployed fails on the missing table, and the data cannot be restored without a backup.",
    recipe: "-- stop using the table in code first\n-- then, with the review recorded in the migration:\n-- db-optimize-ignore ban-drop-table\nDROP TABLE IF EXISTS t;",
  },
  valid: [
    "CREATE TABLE tmp (id bigint);\nDROP TABLE tmp;",
  ],
  invalid: [
    "DROP TABLE legacy_events;",
  ],
  check(ctx) {
    if (ctx.kind !== 'DropStmt' || text(ctx.node, 'removeType') !== 'OBJECT_TABLE') return;
    const names = list(ctx.node.objects).map((o) => strings(child(o, 'List')?.items).join('.')).filter((x) => ctx.existing(x));
    if (names.length === 0) return;
    ctx.report(`DROP TABLE ${names.join(', ')}`, {
      recipe: `-- stop using ${names.join(', ')} in code first (rename it or revoke access for one release to find stragglers), then record the review:\n-- db-optimize-ignore ban-drop-table\nDROP TABLE IF EXISTS ${names.map(qn).join(', ')};`,
    });
  },
};
