import { declaredColumns } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const preferBigintOverInt: LintRuleModule = {
  meta: {
    id: "prefer-bigint-over-int",
    level: "info",
    title: "integer column: prefer bigint",
    squawk: ["prefer-bigint-over-int", "prefer-big-int"],
    why: "A 32-bit key runs out at 2,147,483,647; widening it later is a full table rewrite. bigint costs 4 bytes more per row.",
    recipe: "-- use bigint (bigint GENERATED ALWAYS AS IDENTITY for keys)",
  },
  valid: [
    "CREATE TABLE t (id bigint);",
  ],
  invalid: [
    "CREATE TABLE t (id integer);",
  ],
  check(ctx) {
    for (const c of declaredColumns(ctx)) {
      const t = c.type;
      if (['int4', 'int', 'integer', 'serial', 'serial4'].includes(t.name) && !t.isArray) ctx.report(`${c.table}.${c.name} is ${t.display}`);
    }
  },
};
