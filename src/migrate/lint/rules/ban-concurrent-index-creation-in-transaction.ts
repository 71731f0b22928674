import { alterCmds, isConcurrent } from './rule-helpers.ts';
import { bool, child, list, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banConcurrentIndexCreationInTransaction: LintRuleModule = {
  meta: {
    id: "ban-concurrent-index-creation-in-transaction",
    level: "critical",
    title: "CONCURRENTLY inside a transaction",
    squawk: ["ban-concurrent-index-creation-in-transaction"],
    strongMigrations: "add_index (disable_ddl_transaction!)",
    why: "CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH … CONCURRENTLY cannot run inside a transaction block: the migration fails.",
    recipe: "-- put the statement in its own migration that runs outside a transaction (Rails disable_ddl_transaction!, Django atomic = False, Alembic autocommit_block(), Knex config.transaction = false)",
  },
  valid: [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);",
  ],
  invalid: [
    "BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);\nCOMMIT;",
  ],
  check(ctx) {
    if (!ctx.inTransaction) return;
    const n = ctx.node;
    if (ctx.kind === 'IndexStmt' && isConcurrent(n)) ctx.report('CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
    if (ctx.kind === 'DropStmt' && text(n, 'removeType') === 'OBJECT_INDEX' && isConcurrent(n)) ctx.report('DROP INDEX CONCURRENTLY cannot run inside a transaction block');
    if (ctx.kind === 'ReindexStmt' && list(n.params).some((p) => text(child(p, 'DefElem'), 'defname') === 'concurrently')) ctx.report('REINDEX CONCURRENTLY cannot run inside a transaction block');
    for (const a of alterCmds(ctx, true)) {
      if (a.sub === 'AT_DetachPartition' && bool(child(a.def, 'PartitionCmd'), 'concurrent')) ctx.report('DETACH PARTITION … CONCURRENTLY cannot run inside a transaction block');
    }
  },
};
