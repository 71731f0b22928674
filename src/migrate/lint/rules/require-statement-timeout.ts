import type { LintRuleModule } from '../lint-types.ts';

export const requireStatementTimeout: LintRuleModule = {
  meta: {
    id: "require-statement-timeout",
    level: "reminder",
    title: "No statement_timeout before a potentially slow statement",
    squawk: ["require-statement-timeout", "require-timeout-settings"],
    why: "A statement that scans or rewrites a large table can run far longer than expected while holding its lock.",
    recipe: "SET statement_timeout = '5s'; -- raise it explicitly for CREATE INDEX CONCURRENTLY and VALIDATE, which do not block",
  },
  valid: [
    "SET statement_timeout = '5s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS a text;",
  ],
  invalid: [
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS a text;",
  ],
  check(ctx) {
    if (!ctx.info.needsTimeouts || ctx.state.statementTimeout || ctx.state.localStatementTimeout) return;
    ctx.report('no statement_timeout is set before this statement', { oncePerFile: true });
  },
};
