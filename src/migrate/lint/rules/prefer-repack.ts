import { child, list, rangeVarName, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const preferRepack: LintRuleModule = {
  meta: {
    id: "prefer-repack",
    level: "warning",
    title: "VACUUM FULL / CLUSTER rewrites under ACCESS EXCLUSIVE",
    squawk: ["prefer-repack"],
    strongMigrations: "vacuum_full",
    why: "VACUUM FULL and CLUSTER copy the whole table while holding ACCESS EXCLUSIVE: no reads or writes for the duration.",
    recipe: "-- use pg_repack (or pg_squeeze) to rebuild online; plain VACUUM does not block",
  },
  valid: [
    "VACUUM (ANALYZE) orders;",
  ],
  invalid: [
    "VACUUM FULL orders;",
    "CLUSTER orders USING orders_pkey;",
  ],
  check(ctx) {
    if (ctx.kind === 'VacuumStmt' && list(ctx.node.options).some((p) => text(child(p, 'DefElem'), 'defname') === 'full')) ctx.report('VACUUM FULL rewrites the table under ACCESS EXCLUSIVE');
    if (ctx.kind === 'ClusterStmt') ctx.report(`CLUSTER ${rangeVarName(ctx.node.relation)} rewrites the table under ACCESS EXCLUSIVE`);
  },
};
