import { child, list, strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banCreateDomainWithConstraint: LintRuleModule = {
  meta: {
    id: "ban-create-domain-with-constraint",
    level: "warning",
    title: "CREATE DOMAIN with a constraint",
    squawk: ["ban-create-domain-with-constraint"],
    why: "Domain constraints cannot be added NOT VALID later without scanning every column that uses the domain; changing them takes locks on all those tables.",
    recipe: "-- put the CHECK on the table columns instead (they can be added NOT VALID and validated)",
  },
  valid: [
    "CREATE DOMAIN email AS text;",
  ],
  invalid: [
    "CREATE DOMAIN positive AS int CHECK (VALUE > 0);",
  ],
  check(ctx) {
    if (ctx.kind === 'CreateDomainStmt' && list(ctx.node.constraints).some((c) => text(child(c, 'Constraint'), 'contype') === 'CONSTR_CHECK')) {
      ctx.report(`CREATE DOMAIN ${strings(ctx.node.domainname).join('.')} with a CHECK`);
    }
  },
};
