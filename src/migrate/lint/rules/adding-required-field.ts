import { addedColumns, qn, bareName } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { withSuffix } from '../../../sql/quote.ts';

export const addingRequiredField: LintRuleModule = {
  meta: {
    id: "adding-required-field",
    level: "critical",
    title: "NOT NULL column added without a default",
    squawk: ["adding-required-field"],
    why: "ADD COLUMN … NOT NULL without DEFAULT fails on any table that has rows, and breaks running application code that inserts without the column.",
    recipe: "-- add it nullable (or NOT NULL with a constant DEFAULT on 11+), backfill, then enforce NOT NULL with CHECK … NOT VALID + VALIDATE\nALTER TABLE t ADD COLUMN IF NOT EXISTS c text;",
  },
  valid: [
    "ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';",
    "ALTER TABLE users ADD COLUMN nickname text;",
  ],
  invalid: [
    "ALTER TABLE users ADD COLUMN tier text NOT NULL;",
  ],
  check(ctx) {
    for (const c of addedColumns(ctx)) {
      const serial = ['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2'].includes(c.type.name);
      if (c.has('CONSTR_NOTNULL') === undefined || c.has('CONSTR_DEFAULT') !== undefined || c.has('CONSTR_GENERATED') !== undefined || c.has('CONSTR_IDENTITY') !== undefined || serial) continue;
      const t = qn(c.table);
      const check = qn(withSuffix(`${bareName(c.table)}_${c.name}`, '_not_null'));
      ctx.report(`ADD COLUMN ${c.name} NOT NULL without a DEFAULT fails on a non-empty ${c.table} and breaks inserts from deployed code`, {
        recipe: [
          `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qn(c.name)} ${c.type.display}; -- nullable first`,
          '-- deploy code that writes it, backfill existing rows in batches, then:',
          `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${qn(c.name)} IS NOT NULL) NOT VALID;`,
          `-- after that transaction has committed: ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};${ctx.pg >= 12 ? ` then SET NOT NULL and drop the CHECK` : ''}`,
        ].join('\n'),
      });
    }
  },
};
