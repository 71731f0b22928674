import { alterCmds, qn } from './rule-helpers.ts';
import { bool, child, rangeVarName } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const requireConcurrentPartitionDetach: LintRuleModule = {
  meta: {
    id: "require-concurrent-partition-detach",
    level: "warning",
    title: "DETACH PARTITION without CONCURRENTLY",
    squawk: ["require-concurrent-partition-detach"],
    why: "DETACH PARTITION takes ACCESS EXCLUSIVE on the parent: all queries on the partitioned table wait.",
    recipe: "-- 14+, outside a transaction:\nALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;",
  },
  valid: [
    "ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;",
  ],
  invalid: [
    "ALTER TABLE events DETACH PARTITION events_2020;",
  ],
  check(ctx) {
    for (const a of alterCmds(ctx, true)) {
      const pc = child(a.def, 'PartitionCmd');
      if (a.sub !== 'AT_DetachPartition' || bool(pc, 'concurrent')) continue;
      const part = rangeVarName(child(pc, 'name'));
      ctx.report(`DETACH PARTITION on ${a.table} takes ACCESS EXCLUSIVE on the partitioned table`, {
        recipe:
          ctx.pg >= 14
            ? `-- outside a transaction; if interrupted, finish it with DETACH PARTITION … FINALIZE\nALTER TABLE ${qn(a.table)} DETACH PARTITION ${qn(part)} CONCURRENTLY;`
            : `-- DETACH … CONCURRENTLY needs PostgreSQL 14 (this migration targets ${ctx.pg}): detach in a quiet period with SET lock_timeout = '1s' and retry`,
      });
    }
  },
};
