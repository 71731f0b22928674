import { declaredColumns } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banCharField: LintRuleModule = {
  meta: {
    id: "ban-char-field",
    level: "warning",
    title: "char(n) column",
    squawk: ["ban-char-field"],
    why: "char(n) pads with spaces, compares with trailing blanks ignored and is no faster than text; the length limit is a constraint that is costly to change later.",
    recipe: "-- use text, with CHECK (length(c) <= n) if the limit is a business rule",
  },
  valid: [
    "CREATE TABLE t (code text);",
  ],
  invalid: [
    "CREATE TABLE t (code char(3));",
  ],
  check(ctx) {
    for (const c of declaredColumns(ctx)) {
      const t = c.type;
      if (t.name === 'bpchar' || t.name === 'char' || t.name === 'character') ctx.report(`${c.table}.${c.name} is ${t.display}`);
    }
  },
};
