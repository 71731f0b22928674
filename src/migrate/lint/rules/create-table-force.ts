import { child, list, strings, text } from '../../pg-ast.ts';
import { qn } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const createTableForce: LintRuleModule = {
  meta: {
    id: "create-table-force",
    level: "critical",
    title: "DROP TABLE … CASCADE / drop-and-recreate",
    squawk: [],
    strongMigrations: "create_table (force: true)",
    why: "CASCADE drops views, foreign keys and other dependent objects silently.",
    recipe: "-- drop dependent views and foreign keys explicitly, by name, after checking them",
  },
  valid: [
    "DROP TABLE IF EXISTS tmp;",
  ],
  invalid: [
    "DROP TABLE legacy CASCADE;",
  ],
  check(ctx) {
    if (ctx.kind !== 'DropStmt' || text(ctx.node, 'removeType') !== 'OBJECT_TABLE' || text(ctx.node, 'behavior') !== 'DROP_CASCADE') return;
    const names = list(ctx.node.objects).map((o) => strings(child(o, 'List')?.items).join('.'));
    ctx.report(`DROP TABLE ${names.join(', ')} CASCADE drops dependent views and foreign keys`, {
      recipe: `-- drop the dependent views and foreign keys by name first (pg_depend lists them), then drop without CASCADE:\n-- db-optimize-ignore ban-drop-table\nDROP TABLE IF EXISTS ${names.map(qn).join(', ')};`,
    });
  },
};
