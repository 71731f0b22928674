import { child, list, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banDuplicateColumnAssignments: LintRuleModule = {
  meta: {
    id: "ban-duplicate-column-assignments",
    level: "warning",
    title: "Column assigned twice in one statement",
    squawk: ["ban-duplicate-column-assignments"],
    why: "Ambiguous intent; PostgreSQL rejects it at run time.",
    recipe: "-- assign each column once",
  },
  valid: [
    "UPDATE users SET a = 1, b = 2 WHERE id = 1;",
  ],
  invalid: [
    "UPDATE users SET a = 1, a = 2 WHERE id = 1;",
  ],
  check(ctx) {
    if (ctx.kind !== 'UpdateStmt') return;
    const cols = list(ctx.node.targetList).map((t) => text(child(t, 'ResTarget'), 'name'));
    const dup = cols.find((c, i) => c !== undefined && cols.indexOf(c) !== i);
    if (dup !== undefined) ctx.report(`column ${dup} is assigned twice`);
  },
};
