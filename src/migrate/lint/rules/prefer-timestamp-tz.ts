import { declaredColumns } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const preferTimestampTz: LintRuleModule = {
  meta: {
    id: "prefer-timestamp-tz",
    level: "info",
    title: "timestamp without time zone",
    squawk: ["prefer-timestamp-tz", "prefer-timestamptz"],
    why: "timestamp drops the UTC offset: values written from sessions in different time zones become ambiguous, and comparisons across DST are wrong.",
    recipe: "-- use timestamptz",
  },
  valid: [
    "CREATE TABLE t (at timestamptz);",
  ],
  invalid: [
    "CREATE TABLE t (at timestamp);",
  ],
  check(ctx) {
    for (const c of declaredColumns(ctx)) {
      const t = c.type;
      if (t.name === 'timestamp') ctx.report(`${c.table}.${c.name} is timestamp without time zone`);
    }
  },
};
