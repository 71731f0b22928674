import { text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const renamingSchema: LintRuleModule = {
  meta: {
    id: "renaming-schema",
    level: "warning",
    title: "Schema renamed under running code",
    squawk: [],
    why: "ALTER SCHEMA … RENAME is instant, but every schema-qualified query, search_path setting and grant in deployed code and jobs still names the old schema and fails until it is redeployed.",
    recipe: "-- create the new schema and move objects one by one (ALTER TABLE … SET SCHEMA) behind views in the old schema, or keep both names on the search_path until every release and job uses the new one",
  },
  valid: [
    "CREATE SCHEMA IF NOT EXISTS reporting;",
  ],
  invalid: [
    "ALTER SCHEMA billing RENAME TO invoicing;",
  ],
  check(ctx) {
    if (ctx.kind !== 'RenameStmt' || text(ctx.node, 'renameType') !== 'OBJECT_SCHEMA') return;
    ctx.report(`RENAME SCHEMA ${text(ctx.node, 'subname') ?? '?'} TO ${text(ctx.node, 'newname') ?? '?'}`);
  },
};
