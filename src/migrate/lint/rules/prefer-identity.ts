import { declaredColumns } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const preferIdentity: LintRuleModule = {
  meta: {
    id: "prefer-identity",
    level: "info",
    title: "serial column: prefer an identity column",
    squawk: ["prefer-identity"],
    why: "serial creates a separately owned sequence with looser permissions and awkward dump/restore behaviour; identity columns are the SQL-standard replacement.",
    recipe: "-- declare keys as: id bigint GENERATED ALWAYS AS IDENTITY",
  },
  valid: [
    "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
  ],
  invalid: [
    "CREATE TABLE t (id bigserial PRIMARY KEY);",
  ],
  check(ctx) {
    for (const c of declaredColumns(ctx)) {
      const t = c.type;
      if (['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2'].includes(t.name)) ctx.report(`${c.table}.${c.name} is ${t.name}`);
    }
  },
};
