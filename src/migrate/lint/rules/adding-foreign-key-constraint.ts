import { bool, child, rangeVarName, strings, text } from '../../pg-ast.ts';
import { notValidRecipe, alterCmds, addedColumns, qn, bareName } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { serverDefaultName } from '../../../sql/quote.ts';

export const addingForeignKeyConstraint: LintRuleModule = {
  meta: {
    id: "adding-foreign-key-constraint",
    level: "warning",
    title: "Foreign key added without NOT VALID",
    squawk: ["adding-foreign-key-constraint"],
    strongMigrations: "add_foreign_key / add_reference",
    why: "Adding a foreign key validates every existing row while holding SHARE ROW EXCLUSIVE on both tables: writes to the table and to the referenced table wait for the whole scan.",
    recipe: "ALTER TABLE t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES u (id) NOT VALID;\n-- then, after that transaction has committed (SHARE UPDATE EXCLUSIVE: reads and writes continue):\nALTER TABLE t VALIDATE CONSTRAINT t_u_id_fkey;",
  },
  valid: [
    "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
    "CREATE TABLE t (id bigint PRIMARY KEY, u bigint);\nALTER TABLE t ADD CONSTRAINT t_u_fk FOREIGN KEY (u) REFERENCES users (id);",
  ],
  invalid: [
    "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
    "ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);",
  ],
  check(ctx) {
    for (const c of addedColumns(ctx)) {
      const fk = c.has('CONSTR_FOREIGN');
      if (fk === undefined || bool(fk, 'skip_validation')) continue;
      const ref = rangeVarName(fk.pktable);
      const refCols = strings(fk.pk_attrs);
      const name = serverDefaultName(bareName(c.table), c.name, 'fkey');
      ctx.report(`ADD COLUMN ${c.name} REFERENCES ${ref} takes SHARE ROW EXCLUSIVE on both tables`, {
        duration: 'scan',
        recipe: [
          `ALTER TABLE ${qn(c.table)} ADD COLUMN IF NOT EXISTS ${qn(c.name)} ${c.type.display};`,
          `ALTER TABLE ${qn(c.table)} ADD CONSTRAINT ${qn(name)} FOREIGN KEY (${qn(c.name)}) REFERENCES ${qn(ref)}${refCols.length > 0 ? ` (${refCols.map(qn).join(', ')})` : ''} NOT VALID;`,
          '-- then, after this transaction has committed:',
          `ALTER TABLE ${qn(c.table)} VALIDATE CONSTRAINT ${qn(name)};`,
        ].join('\n'),
      });
    }
    for (const a of alterCmds(ctx)) {
      const con = child(a.def, 'Constraint');
      if (a.sub !== 'AT_AddConstraint' || con === undefined || text(con, 'contype') !== 'CONSTR_FOREIGN' || bool(con, 'skip_validation')) continue;
      ctx.report(`FOREIGN KEY ${text(con, 'conname') ?? ''} to ${rangeVarName(con.pktable)} validates every row of ${a.table} while blocking writes to both tables`, {
        duration: 'scan',
        lock: `SHARE ROW EXCLUSIVE on ${a.table} and ${rangeVarName(con.pktable)}`,
        recipe: notValidRecipe(ctx, a.table, con, a.cmd),
      });
    }
  },
};
