import type { LintRuleModule } from '../lint-types.ts';

export const requireLockTimeout: LintRuleModule = {
  meta: {
    id: "require-lock-timeout",
    level: "reminder",
    title: "No lock_timeout before a statement that takes a strong lock",
    squawk: ["require-lock-timeout", "require-timeout-settings"],
    why: "A DDL statement waiting for its lock (behind one long query) blocks every later query on the table: the queue, not the DDL, causes the outage.",
    recipe: "SET lock_timeout = '1s'; -- at the top of the migration; retry the migration when it times out",
  },
  valid: [
    "SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS a text;",
  ],
  invalid: [
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS a text;",
  ],
  check(ctx) {
    if (!ctx.info.needsTimeouts || ctx.state.lockTimeout || ctx.state.localLockTimeout) return;
    ctx.report(`no lock_timeout is set before this statement (${ctx.info.lock ?? 'strong lock'})`, { oncePerFile: true });
  },
};
