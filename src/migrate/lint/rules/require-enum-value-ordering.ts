import { strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const requireEnumValueOrdering: LintRuleModule = {
  meta: {
    id: "require-enum-value-ordering",
    level: "info",
    title: "ALTER TYPE … ADD VALUE without BEFORE/AFTER",
    squawk: ["require-enum-value-ordering"],
    why: "The new value sorts last; code that orders by the enum silently changes order. Before 12 ADD VALUE also cannot run in a transaction.",
    recipe: "ALTER TYPE e ADD VALUE IF NOT EXISTS 'x' AFTER 'y';",
  },
  valid: [
    "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'calm' AFTER 'ok';",
  ],
  invalid: [
    "ALTER TYPE mood ADD VALUE 'calm';",
  ],
  check(ctx) {
    const n = ctx.node;
    if (ctx.kind === 'AlterEnumStmt' && text(n, 'oldVal') === undefined && text(n, 'newVal') !== undefined && text(n, 'newValNeighbor') === undefined) {
      ctx.report(`ADD VALUE '${text(n, 'newVal') ?? ''}' to ${strings(n.typeName).join('.')} without BEFORE/AFTER`);
    }
  },
};
