import { qn } from './rule-helpers.ts';
import { rangeVarName, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const renamingTable: LintRuleModule = {
  meta: {
    id: "renaming-table",
    level: "warning",
    title: "Renaming a table breaks running code",
    squawk: ["renaming-table"],
    strongMigrations: "rename_table",
    why: "Deployed code still queries the old name and fails until redeployed.",
    recipe: "-- rename and leave a view with the old name in one transaction (CREATE VIEW old_name AS SELECT * FROM new_name), move code over, then drop the view",
  },
  valid: [
    "CREATE TABLE t (a int);\nALTER TABLE t RENAME TO t2;",
  ],
  invalid: [
    "ALTER TABLE customers RENAME TO clients;",
  ],
  check(ctx) {
    if (ctx.kind !== 'RenameStmt' || text(ctx.node, 'renameType') !== 'OBJECT_TABLE') return;
    const rel = rangeVarName(ctx.node.relation);
    if (!ctx.existing(rel)) return;
    const to = text(ctx.node, 'newname') ?? '?';
    const schema = rel.includes('.') ? `${rel.split('.')[0] ?? ''}.` : '';
    ctx.report(`RENAME ${rel} TO ${to}`, {
      recipe: `-- rename and leave an auto-updatable view under the old name, in one transaction; old code keeps working through it:\nBEGIN;\n-- db-optimize-ignore renaming-table\nALTER TABLE ${qn(rel)} RENAME TO ${qn(to)};\nCREATE VIEW ${qn(rel)} AS SELECT * FROM ${qn(schema + to)};\nCOMMIT;\n-- drop the view once every deployed release uses the new name`,
    });
  },
};
