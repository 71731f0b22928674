import { declaredColumns } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const preferBigintOverSmallint: LintRuleModule = {
  meta: {
    id: "prefer-bigint-over-smallint",
    level: "info",
    title: "smallint column: prefer bigint",
    squawk: ["prefer-bigint-over-smallint", "prefer-big-int"],
    why: "smallint overflows at 32,767; changing it later rewrites the table.",
    recipe: "-- use bigint unless the domain is truly tiny and fixed",
  },
  valid: [
    "CREATE TABLE t (n bigint);",
  ],
  invalid: [
    "CREATE TABLE t (n smallint);",
  ],
  check(ctx) {
    for (const c of declaredColumns(ctx)) {
      const t = c.type;
      if (['int2', 'smallint', 'smallserial', 'serial2'].includes(t.name) && !t.isArray) ctx.report(`${c.table}.${c.name} is ${t.display}`);
    }
  },
};
