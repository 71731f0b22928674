import { writeFile } from 'node:fs/promises';
import { DbOptimizeError, EXIT } from '../../errors/index.ts';
import type { Flow, FlowInput } from '../../flows/flow.ts';
import { option } from '../../flows/flow-input.ts';
import { lintMigrationFiles, migrateLintFlow, migrationLintReport } from '../../flows/migrate-lint.ts';
import { CHANGE_FLAGS, migratePlanFlow } from '../../flows/migrate-plan.ts';
import { renderGithub, renderGitlab } from '../../migrate/lint/lint-report.ts';
import type { Severity } from '../../model/index.ts';
import { SEVERITY_RANK } from '../../model/index.ts';
import type { Command, CommandContext } from '../command.ts';
import { cliInput, emitReport, failOnOption, flowInput, runFlowCommand } from '../context-helpers.ts';

/** The flow sees the arguments after the subcommand. */
function subcommandInput(ctx: CommandContext, flow: Flow): FlowInput {
  const input = flowInput(ctx, flow);
  return { ...input, positionals: input.positionals.slice(1) };
}

/** migrate lint exits 1 on warnings by default (a CI gate), and also prints GitHub / GitLab annotations. */
async function runLint(ctx: CommandContext): Promise<number> {
  const input = subcommandInput(ctx, migrateLintFlow);
  const failOnFlag = failOnOption(input);
  const lint = await lintMigrationFiles(input);
  const failOn: Severity = failOnFlag ?? 'warning';
  const exit = lint.violations.some((v) => SEVERITY_RANK[v.severity] >= SEVERITY_RANK[failOn]) ? EXIT.findings : EXIT.ok;
  const format = option(input, 'format') ?? 'terminal';
  if (format === 'github' || format === 'gitlab') {
    const text = format === 'github' ? renderGithub(lint.violations) : renderGitlab(lint.violations);
    const out = option(input, 'out');
    if (out === undefined) ctx.io.stdout(text);
    else await writeFile(out, text);
    return exit;
  }
  const code = await emitReport(ctx, migrationLintReport(lint), input);
  return failOnFlag === undefined ? exit : code;
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'migrate plan: zero-downtime step-by-step DDL plans; migrate lint: lint SQL migrations (squawk + strong_migrations rules)',
  usage: [
    `migrate plan --add-column TABLE.COLUMN "TYPE [NOT NULL] [DEFAULT …]" [--pg-version N | --db URL] [--migration-format sql|alembic|knex|prisma|drizzle] [--out-dir DIR] [--apply]`,
    '       db-optimize migrate lint FILE|DIR… [--pg-version N] [--format terminal|json|markdown|html|sarif|github|gitlab] [--exclude RULE]',
  ].join('\n'),
  help: [
    'plan: one change per run: --add-column, --add-index "t(cols) [WHERE …]" (prefix UNIQUE for a unique one), --add-fk t.col->ref.col,',
    '--change-type t.col TYPE [USING expr], --set-not-null t.col, --rename t.col NEW | --rename t NEW. It only prints (and writes',
    '--out-dir files); --apply --db URL runs the steps with lock_timeout, retries and batched backfills.',
    'lint: exits 1 when a warning or critical finding exists (--fail-on changes the threshold). Suppress with a comment on the line',
    'before a statement: -- db-optimize-ignore RULE[, RULE] (squawk-ignore works too); for a whole file: -- db-optimize-ignore-file RULE.',
    'Config file (--config): { "migrateLint": { "pgVersion": 15, "exclude": ["prefer-robust-stmts"], "assumeInTransaction": true } }',
  ].join('\n'),
  common: ['connection', 'report'],
  options: { ...migratePlanFlow.options, ...migrateLintFlow.options },
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub === 'lint') {
      const format = option(cliInput(ctx), 'format') ?? 'terminal';
      if (!['terminal', 'json', 'markdown', 'html', 'sarif', 'github', 'gitlab'].includes(format)) {
        throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --format "${format}" for migrate lint (use terminal, json, markdown, html, sarif, github, gitlab)`);
      }
      const planOnly = CHANGE_FLAGS.filter((f) => ctx.values[f] !== undefined);
      if (planOnly.length > 0) throw new DbOptimizeError('E_USAGE', 'usage', `--${planOnly[0] ?? ''} belongs to migrate plan, not migrate lint`);
      return runLint(ctx);
    }
    if (sub === 'plan') {
      if (ctx.values.exclude !== undefined) throw new DbOptimizeError('E_USAGE', 'usage', '--exclude belongs to migrate lint, not migrate plan');
      return runFlowCommand(ctx, migratePlanFlow, subcommandInput(ctx, migratePlanFlow));
    }
    throw new DbOptimizeError('E_USAGE', 'usage', sub === undefined ? 'migrate needs a subcommand: plan or lint' : `unknown migrate subcommand "${sub}" (use plan or lint)`, {
      hint: "run 'db-optimize migrate --help'",
    });
  },
};
