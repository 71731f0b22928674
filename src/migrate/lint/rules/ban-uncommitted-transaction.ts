import type { LintRuleModule } from '../lint-types.ts';

export const banUncommittedTransaction: LintRuleModule = {
  meta: {
    id: "ban-uncommitted-transaction",
    level: "critical",
    title: "Transaction is never committed",
    squawk: ["ban-uncommitted-transaction"],
    why: "A BEGIN without COMMIT leaves the migration open: its locks are held until the session ends and its changes are rolled back.",
    recipe: "-- add COMMIT; at the end of the migration",
  },
  valid: [
    "BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a text;\nCOMMIT;",
  ],
  invalid: [
    "BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a text;",
  ],
  check(ctx) {
    void ctx;
  },
  finish(ctx) {
    if (ctx.state.inTx && ctx.state.lastBegin !== null) ctx.report(ctx.state.lastBegin, 'BEGIN without a matching COMMIT before the end of the file');
  },
};
