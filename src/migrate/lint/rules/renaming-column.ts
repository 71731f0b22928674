import { rangeVarName, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const renamingColumn: LintRuleModule = {
  meta: {
    id: "renaming-column",
    level: "warning",
    title: "Renaming a column breaks running code",
    squawk: ["renaming-column"],
    strongMigrations: "rename_column",
    why: "The rename is instant but every deployed application server still uses the old name until it is redeployed.",
    recipe: "-- add the new column, sync both with a trigger, backfill, deploy code that uses the new name, then drop the old one\n-- db-optimize migrate plan --rename t.old new --db $DATABASE_URL",
  },
  valid: [
    "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;",
  ],
  invalid: [
    "ALTER TABLE users RENAME COLUMN mail TO email;",
  ],
  check(ctx) {
    if (ctx.kind !== 'RenameStmt' || text(ctx.node, 'renameType') !== 'OBJECT_COLUMN') return;
    const rel = rangeVarName(ctx.node.relation);
    if (!ctx.existing(rel)) return;
    const from = text(ctx.node, 'subname') ?? '?';
    const to = text(ctx.node, 'newname') ?? '?';
    ctx.report(`RENAME COLUMN ${rel}.${from} TO ${to}`, {
      recipe: `-- expand/contract: add ${to}, sync both names with a trigger, backfill, deploy code that uses ${to}, then drop ${from};\n-- with --db the plan also carries NOT NULL, default, indexes and foreign keys:\n-- db-optimize migrate plan --rename ${rel}.${from} ${to} --db $DATABASE_URL`,
    });
  },
};
