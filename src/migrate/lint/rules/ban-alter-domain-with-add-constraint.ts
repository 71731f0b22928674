import { bool, child, strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banAlterDomainWithAddConstraint: LintRuleModule = {
  meta: {
    id: "ban-alter-domain-with-add-constraint",
    level: "warning",
    title: "ALTER DOMAIN … ADD CONSTRAINT",
    squawk: ["ban-alter-domain-with-add-constraint"],
    why: "Validates every column of every table that uses the domain, with locks on them.",
    recipe: "ALTER DOMAIN d ADD CONSTRAINT d_check CHECK (VALUE > 0) NOT VALID;\n-- then, after that transaction has committed:\nALTER DOMAIN d VALIDATE CONSTRAINT d_check;",
  },
  valid: [
    "ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0) NOT VALID;",
  ],
  invalid: [
    "ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);",
  ],
  check(ctx) {
    if (ctx.kind !== 'AlterDomainStmt' || text(ctx.node, 'subtype') !== 'C') return;
    // NOT VALID skips the scan of every column using the domain; VALIDATE later does not block writes
    if (bool(child(ctx.node.def, 'Constraint'), 'skip_validation')) return;
    ctx.report(`ALTER DOMAIN ${strings(ctx.node.typeName).join('.')} ADD CONSTRAINT checks every column that uses the domain while blocking writes`);
  },
};
