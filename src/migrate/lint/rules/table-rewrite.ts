import { alterCmds } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const tableRewrite: LintRuleModule = {
  meta: {
    id: "table-rewrite",
    level: "critical",
    title: "Statement rewrites the table under ACCESS EXCLUSIVE",
    squawk: [],
    strongMigrations: "change_table (set_logged / set_tablespace)",
    why: "SET LOGGED/UNLOGGED, SET TABLESPACE and SET ACCESS METHOD copy the whole table while blocking reads and writes.",
    recipe: "-- do it in a maintenance window, or build a new table and swap (pg-osc style shadow table)",
  },
  valid: [
    "ALTER TABLE events SET (fillfactor = 90);",
  ],
  invalid: [
    "ALTER TABLE events SET UNLOGGED;",
  ],
  check(ctx) {
    for (const a of alterCmds(ctx)) {
      if (['AT_SetLogged', 'AT_SetUnLogged', 'AT_SetTableSpace', 'AT_SetAccessMethod'].includes(a.sub)) {
        ctx.report(`${a.sub.replace('AT_', '')} copies all of ${a.table} under ACCESS EXCLUSIVE`, { duration: 'rewrite' });
      }
    }
  },
};
