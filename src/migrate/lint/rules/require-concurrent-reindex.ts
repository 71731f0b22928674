import { child, list, rangeVarName, text } from '../../pg-ast.ts';
import { qn } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const requireConcurrentReindex: LintRuleModule = {
  meta: {
    id: "require-concurrent-reindex",
    level: "warning",
    title: "REINDEX without CONCURRENTLY",
    squawk: ["require-concurrent-reindex"],
    why: "REINDEX blocks writes to the table (and reads that would use the index) for the whole rebuild.",
    recipe: "-- 12+, outside a transaction:\nREINDEX INDEX CONCURRENTLY t_c_idx;",
  },
  valid: [
    "REINDEX INDEX CONCURRENTLY orders_user_id_idx;",
  ],
  invalid: [
    "REINDEX INDEX orders_user_id_idx;",
  ],
  check(ctx) {
    const n = ctx.node;
    if (ctx.kind !== 'ReindexStmt' || list(n.params).some((p) => text(child(p, 'DefElem'), 'defname') === 'concurrently')) return;
    const target = text(n, 'name') ?? rangeVarName(n.relation);
    const kind = (text(n, 'kind') ?? 'REINDEX_OBJECT_INDEX').replace('REINDEX_OBJECT_', '');
    ctx.report(`REINDEX ${target} blocks writes for the rebuild`, {
      recipe:
        ctx.pg >= 12
          ? `REINDEX ${kind} CONCURRENTLY ${qn(target)}; -- outside a transaction (this spelling works on 12+)`
          : `-- REINDEX CONCURRENTLY needs PostgreSQL 12 (this migration targets ${ctx.pg}): CREATE INDEX CONCURRENTLY a copy, DROP INDEX CONCURRENTLY the old one, then rename the copy`,
    });
  },
};
