import { text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const transactionNesting: LintRuleModule = {
  meta: {
    id: "transaction-nesting",
    level: "warning",
    title: "Nested or framework-conflicting transaction statement",
    squawk: ["transaction-nesting"],
    why: "BEGIN inside a transaction only warns, and the first COMMIT ends the outer transaction early: later statements run outside it.",
    recipe: "-- remove the inner BEGIN/COMMIT and let the migration framework own the transaction",
  },
  valid: [
    "BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a text;\nCOMMIT;",
  ],
  invalid: [
    "BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;",
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS a text;\nCOMMIT;",
  ],
  check(ctx) {
    if (ctx.kind !== 'TransactionStmt') return;
    const k = text(ctx.node, 'kind') ?? '';
    if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') {
      if (ctx.state.inTx) ctx.report('BEGIN inside an open transaction');
      else if (ctx.state.assumeInTransaction) ctx.report('BEGIN in a migration the framework already wraps in a transaction');
    } else if ((k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK') && !ctx.state.inTx) {
      ctx.report(`${k === 'TRANS_STMT_COMMIT' ? 'COMMIT' : 'ROLLBACK'} without an open transaction${ctx.state.assumeInTransaction ? ' (ends the framework transaction early)' : ''}`);
    }
  },
};
