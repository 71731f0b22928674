import { bool, child, strings, text } from '../../pg-ast.ts';
import { notValidRecipe, alterCmds, addedColumns, qn, bareName } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { serverDefaultName } from '../../../sql/quote.ts';

export const constraintMissingNotValid: LintRuleModule = {
  meta: {
    id: "constraint-missing-not-valid",
    level: "warning",
    title: "Constraint added without NOT VALID (or validated in the same transaction)",
    squawk: ["constraint-missing-not-valid"],
    strongMigrations: "add_check_constraint / validate_check_constraint",
    why: "ADD CONSTRAINT CHECK/FOREIGN KEY scans the table while holding a lock that blocks writes; validating in the same transaction keeps the ACCESS EXCLUSIVE lock of the ADD for the whole scan.",
    recipe: "ALTER TABLE t ADD CONSTRAINT t_c_check CHECK (c > 0) NOT VALID;\n-- then, after that transaction has committed (SHARE UPDATE EXCLUSIVE, reads and writes continue):\nALTER TABLE t VALIDATE CONSTRAINT t_c_check;",
  },
  valid: [
    "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;",
    "BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\nCOMMIT;",
  ],
  invalid: [
    "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
    "BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\nCOMMIT;",
    "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
  ],
  check(ctx) {
    for (const c of addedColumns(ctx)) {
      const check = c.has('CONSTR_CHECK');
      if (check !== undefined && !bool(check, 'skip_validation') && c.has('CONSTR_DEFAULT') !== undefined) {
        ctx.report(`ADD COLUMN ${c.name} with a CHECK validates every row of ${c.table}`, { duration: 'scan' });
      }
    }
    for (const a of alterCmds(ctx)) {
      if (a.sub === 'AT_ValidateConstraint') {
        const name = text(a.cmd, 'name') ?? '';
        if (ctx.state.notValidInTx.has(name)) {
          ctx.report(`VALIDATE CONSTRAINT ${name} in the transaction that added it keeps ACCESS EXCLUSIVE for the whole scan`, {
            duration: 'scan',
            recipe: `-- end the transaction that added ${name} NOT VALID first; then, in its own transaction (SHARE UPDATE EXCLUSIVE, reads and writes continue):\nALTER TABLE ${qn(a.table)} VALIDATE CONSTRAINT ${qn(name)};`,
          });
        }
        continue;
      }
      const con = child(a.def, 'Constraint');
      if (a.sub !== 'AT_AddConstraint' || con === undefined) continue;
      const contype = text(con, 'contype');
      const conname = text(con, 'conname') ?? '';
      if ((contype === 'CONSTR_FOREIGN' || contype === 'CONSTR_CHECK') && !bool(con, 'skip_validation')) {
        ctx.report(`${contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK'} ${conname} validates every row of ${a.table} while it blocks writes`, {
          duration: 'scan',
          recipe: notValidRecipe(ctx, a.table, con, a.cmd),
        });
      } else if ((contype === 'CONSTR_UNIQUE' || contype === 'CONSTR_PRIMARY') && text(con, 'indexname') === undefined) {
        const kind = contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
        const name = qn(text(con, 'conname') ?? (contype === 'CONSTR_UNIQUE' ? serverDefaultName(bareName(a.table), strings(con.keys).join('_'), 'key') : serverDefaultName(bareName(a.table), null, 'pkey')));
        ctx.report(`${kind} ${conname} validates every row while building its index`, {
          duration: 'scan',
          recipe: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${qn(a.table)} (${strings(con.keys).map(qn).join(', ')}); -- outside a transaction\nALTER TABLE ${qn(a.table)} ADD CONSTRAINT ${name} ${kind} USING INDEX ${name};`,
        });
      } else if (contype === 'CONSTR_EXCLUSION') {
        ctx.report(`EXCLUDE constraint on ${a.table} validates every row while building its index (exclusion constraints have no NOT VALID)`, {
          duration: 'scan',
          recipe: '-- exclusion constraints can be neither NOT VALID nor built CONCURRENTLY: add them in a maintenance window, or on a new table before it holds data',
        });
      }
    }
  },
};
