import { helpText } from '../../format/wrap-section-lines.ts';
import { logsFlow } from '../../flows/logs.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const logsCommand: Command = {
  name: 'logs',
  summary: 'workload report from PostgreSQL logs: statements with p50/p95/p99, errors, locks, temp files, checkpoints, autovacuum, connections',
  usage: 'logs FILE…|- [--since TIME] [--until TIME] [--prefix PREFIX] [--log-format FORMAT] [--format terminal|json|markdown]',
  help: helpText([
    'Reads PostgreSQL logs (stderr with any log_line_prefix, inferred or given with --prefix; csvlog; jsonlog; gzip',
    'files; - for stdin) in one streaming pass with flat memory, and reports: statements by shape (constants replaced,',
    'libpg_query fingerprint) with calls, total, mean and p50/p95/p99 from the logged durations, by hour; errors by',
    'SQLSTATE with examples; lock waits and deadlocks with the blocked and blocking statements; temporary files with',
    'their statement; checkpoints; autovacuum/autoanalyze per table; connections and sessions; the slowest auto_explain',
    'plans with the explain tips. Lines it cannot read (cut, binary, another prefix) are counted with their line numbers.',
    '',
    "Server settings that feed it: log_min_duration_statement = 0 (or a threshold), log_checkpoints, log_connections,",
    "log_disconnections, log_lock_waits, log_temp_files = 0, log_autovacuum_min_duration = 0, and a log_line_prefix with",
    "%m and %p (e.g. '%m [%p] %q%u@%d ', Debian's default). Add %e to log SQLSTATEs; otherwise common ones are",
    'inferred from the message.',
    '',
    'Examples:',
    '  db-optimize logs /var/log/postgresql/postgresql-15-main.log',
    "  zcat postgresql.log.*.gz | db-optimize logs - --since '2026-12-01 08:00' --format json",
  ]),
  common: logsFlow.common,
  options: logsFlow.options,
  run: (ctx) => runFlowCommand(ctx, logsFlow),
};
