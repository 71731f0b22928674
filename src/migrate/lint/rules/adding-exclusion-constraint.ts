import { alterCmds } from './rule-helpers.ts';
import { child, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const addingExclusionConstraint: LintRuleModule = {
  meta: {
    id: "adding-exclusion-constraint",
    level: "warning",
    title: "Exclusion constraint built under ACCESS EXCLUSIVE",
    squawk: [],
    strongMigrations: "add_exclusion_constraint",
    why: "An exclusion constraint builds its index while blocking reads and writes, and cannot be added NOT VALID.",
    recipe: "-- exclusion constraints can be neither NOT VALID nor built CONCURRENTLY: add them in a maintenance window, or on a new table before it holds data",
  },
  valid: [
    "CREATE TABLE bookings (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));",
  ],
  invalid: [
    "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
  ],
  check(ctx) {
    for (const a of alterCmds(ctx)) {
      const con = child(a.def, 'Constraint');
      if (a.sub === 'AT_AddConstraint' && text(con, 'contype') === 'CONSTR_EXCLUSION') {
        ctx.report(`EXCLUDE constraint on ${a.table} builds its index under ACCESS EXCLUSIVE`, { duration: 'scan' });
      }
    }
  },
};
