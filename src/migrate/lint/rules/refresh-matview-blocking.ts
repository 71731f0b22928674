import { isConcurrent } from './rule-helpers.ts';
import { rangeVarName } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const refreshMatviewBlocking: LintRuleModule = {
  meta: {
    id: "refresh-matview-blocking",
    level: "warning",
    title: "REFRESH MATERIALIZED VIEW without CONCURRENTLY",
    squawk: [],
    why: "A plain refresh takes ACCESS EXCLUSIVE on the view: every reader waits until the query is recomputed.",
    recipe: "-- add a unique index on the view, then:\nREFRESH MATERIALIZED VIEW CONCURRENTLY v;",
  },
  valid: [
    "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;",
  ],
  invalid: [
    "REFRESH MATERIALIZED VIEW daily_totals;",
  ],
  check(ctx) {
    if (ctx.kind === 'RefreshMatViewStmt' && !isConcurrent(ctx.node)) ctx.report(`REFRESH MATERIALIZED VIEW ${rangeVarName(ctx.node.relation)} blocks every reader`);
  },
};
