import { child, list, strings, text } from '../../pg-ast.ts';
import { qn, isConcurrent } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const requireConcurrentIndexDeletion: LintRuleModule = {
  meta: {
    id: "require-concurrent-index-deletion",
    level: "warning",
    title: "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE",
    squawk: ["require-concurrent-index-deletion"],
    strongMigrations: "remove_index",
    why: "DROP INDEX takes ACCESS EXCLUSIVE on the table: it waits behind long queries and everything queues behind it.",
    recipe: "-- outside a transaction:\nDROP INDEX CONCURRENTLY IF EXISTS t_c_idx;",
  },
  valid: [
    "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;",
  ],
  invalid: [
    "DROP INDEX users_email_idx;",
  ],
  check(ctx) {
    const n = ctx.node;
    if (ctx.kind !== 'DropStmt' || text(n, 'removeType') !== 'OBJECT_INDEX' || isConcurrent(n)) return;
    const names = list(n.objects).map((o) => strings(child(o, 'List')?.items).join('.'));
    ctx.report(`DROP INDEX ${names.join(', ')} takes ACCESS EXCLUSIVE on its table`, {
      recipe: `-- outside a transaction, one index per statement:\n${names.map((x) => `DROP INDEX CONCURRENTLY IF EXISTS ${qn(x)};`).join('\n')}`,
    });
  },
};
