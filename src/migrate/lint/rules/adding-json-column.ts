import { declaredColumns } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const addingJsonColumn: LintRuleModule = {
  meta: {
    id: "adding-json-column",
    level: "info",
    title: "json column: prefer jsonb",
    squawk: [],
    strongMigrations: "add_column_json",
    why: "json has no equality operator (SELECT DISTINCT and UNION fail), cannot be indexed with GIN and is re-parsed on every access.",
    recipe: "-- use jsonb",
  },
  valid: [
    "CREATE TABLE t (doc jsonb);",
  ],
  invalid: [
    "CREATE TABLE t (doc json);",
  ],
  check(ctx) {
    for (const c of declaredColumns(ctx)) {
      const t = c.type;
      if (t.name === 'json') ctx.report(`${c.table}.${c.name} is json`);
    }
  },
};
