import { alterCmds, addedColumns, qn, bareName } from './rule-helpers.ts';
import { child, strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { serverDefaultName } from '../../../sql/quote.ts';

export const disallowedUniqueConstraint: LintRuleModule = {
  meta: {
    id: "disallowed-unique-constraint",
    level: "warning",
    title: "UNIQUE constraint built under ACCESS EXCLUSIVE",
    squawk: ["disallowed-unique-constraint"],
    strongMigrations: "add_unique_constraint",
    why: "ADD CONSTRAINT … UNIQUE builds its index while blocking reads and writes.",
    recipe: "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_c_key ON t (c); -- outside a transaction\nALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE USING INDEX t_c_key;",
  },
  valid: [
    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
  ],
  invalid: [
    "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    "ALTER TABLE users ADD COLUMN handle text UNIQUE;",
  ],
  check(ctx) {
    for (const c of addedColumns(ctx)) {
      if (c.has('CONSTR_UNIQUE') !== undefined) ctx.report(`ADD COLUMN ${c.name} … UNIQUE builds an index on ${c.table} under ACCESS EXCLUSIVE`, { duration: 'scan' });
    }
    for (const a of alterCmds(ctx)) {
      const con = child(a.def, 'Constraint');
      if (a.sub !== 'AT_AddConstraint' || text(con, 'contype') !== 'CONSTR_UNIQUE' || text(con, 'indexname') !== undefined) continue;
      const keys = strings(con?.keys);
      const name = qn(text(con, 'conname') ?? serverDefaultName(bareName(a.table), keys.join('_'), 'key'));
      ctx.report(`UNIQUE ${text(con, 'conname') ?? ''} builds its index on ${a.table} under ACCESS EXCLUSIVE`, {
        duration: 'scan',
        recipe: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${qn(a.table)} (${keys.map(qn).join(', ')}); -- outside a transaction\nALTER TABLE ${qn(a.table)} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}; -- instant`,
      });
    }
  },
};
