import { alterCmds, qn, bareName } from './rule-helpers.ts';
import { bool, child, strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { withSuffix } from '../../../sql/quote.ts';

export const addingNotNullableField: LintRuleModule = {
  meta: {
    id: "adding-not-nullable-field",
    level: "warning",
    title: "SET NOT NULL scans the table under ACCESS EXCLUSIVE",
    squawk: ["adding-not-nullable-field"],
    strongMigrations: "change_column_null",
    why: "ALTER COLUMN … SET NOT NULL reads every row to prove there is no NULL, holding ACCESS EXCLUSIVE: reads and writes queue behind it for the whole scan.",
    recipe: "-- on 12+: a validated CHECK lets SET NOT NULL skip its scan\nALTER TABLE t ADD CONSTRAINT t_c_not_null CHECK (c IS NOT NULL) NOT VALID;\n-- after that transaction has committed:\nALTER TABLE t VALIDATE CONSTRAINT t_c_not_null;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nALTER TABLE t DROP CONSTRAINT IF EXISTS t_c_not_null;",
  },
  valid: [
    "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_not_null;",
    "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;",
  ],
  invalid: [
    "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;",
  ],
  check(ctx) {
    for (const a of alterCmds(ctx)) {
      const column = text(a.cmd, 'name') ?? '?';
      if (a.sub === 'AT_SetNotNull') {
        // a validated CHECK (col IS NOT NULL) lets 12+ skip the scan: that is the recommended recipe
        if (ctx.pg >= 12 && ctx.state.provenNotNull.has(`${a.table}.${column}`)) continue;
        const t = qn(a.table);
        const check = qn(withSuffix(`${bareName(a.table)}_${column}`, '_not_null'));
        const steps = [
          `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${qn(column)} IS NOT NULL) NOT VALID;`,
          '-- after that transaction has committed:',
          `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`,
          ...(ctx.pg >= 12
            ? [`ALTER TABLE ${t} ALTER COLUMN ${qn(column)} SET NOT NULL; -- no scan: the valid CHECK proves it`, `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${check};`]
            : [`-- PostgreSQL ${ctx.pg}: keep the validated CHECK instead of SET NOT NULL (12+ can skip the scan)`]),
        ];
        ctx.report(`SET NOT NULL on ${a.table}.${column} scans the table under ACCESS EXCLUSIVE${ctx.pg >= 12 ? ' unless a validated CHECK (… IS NOT NULL) already proves it' : ''}`, {
          duration: 'scan',
          recipe: `-- db-optimize migrate plan --set-not-null ${a.table}.${column} writes these steps:\n${steps.join('\n')}`,
        });
      }
      const con = child(a.def, 'Constraint');
      if (a.sub === 'AT_AddConstraint' && text(con, 'contype') === 'CONSTR_NOTNULL' && !bool(con, 'skip_validation')) {
        const col = strings(con?.keys)[0] ?? '?';
        const name = text(con, 'conname') ?? withSuffix(`${bareName(a.table)}_${col}`, '_not_null');
        ctx.report(`NOT NULL constraint on ${a.table} scans the table under ACCESS EXCLUSIVE${ctx.pg >= 18 ? ' (add it NOT VALID, then VALIDATE)' : ''}`, {
          duration: 'scan',
          recipe: `ALTER TABLE ${qn(a.table)} ADD CONSTRAINT ${qn(name)} CHECK (${qn(col)} IS NOT NULL) NOT VALID;\n-- after that transaction has committed:\nALTER TABLE ${qn(a.table)} VALIDATE CONSTRAINT ${qn(name)};`,
        });
      }
    }
  },
};
