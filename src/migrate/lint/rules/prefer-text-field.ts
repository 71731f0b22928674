import { declaredColumns } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const preferTextField: LintRuleModule = {
  meta: {
    id: "prefer-text-field",
    level: "info",
    title: "varchar(n) column: prefer text",
    squawk: ["prefer-text-field"],
    why: "varchar(n) is stored like text; raising the limit later is cheap but lowering it rewrites, and the limit rarely matches a real rule.",
    recipe: "-- use text, with CHECK (length(c) <= n) NOT VALID when a limit is needed (changing a CHECK does not rewrite the table)",
  },
  valid: [
    "CREATE TABLE t (name text);",
  ],
  invalid: [
    "CREATE TABLE t (name varchar(100));",
  ],
  check(ctx) {
    for (const c of declaredColumns(ctx)) {
      const t = c.type;
      if ((t.name === 'varchar' || t.name === 'character varying') && t.mods.length > 0) ctx.report(`${c.table}.${c.name} is ${t.display}`);
    }
  },
};
