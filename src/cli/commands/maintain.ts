import { helpText } from '../../format/wrap-section-lines.ts';
import { maintainFlow } from '../../flows/maintain.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const maintainCommand: Command = {
  name: 'maintain',
  aliases: ['maintenance'],
  summary: 'maintenance jobs (autovacuum, VACUUM, REINDEX, partitions, archiving) as pg_cron jobs, SQL and crontab',
  usage: 'maintain [--db URL] [--retain TABLE[.COLUMN]=DAYS] [--out-dir DIR] [--apply] [--set ID.OPTION=VALUE]',
  help: helpText([
    'Reads the catalog and statistics (read-only) and plans scheduled maintenance with the thresholds profile uses:',
    'per-table autovacuum settings for large hot tables (autovacuum-settings), a daily VACUUM (ANALYZE) for append-only',
    'tables, a weekly REINDEX INDEX CONCURRENTLY for bloated indexes (index-bloat), the next partitions of tables',
    'partitioned by day/week/month/year (pg_partman\'s run_maintenance_proc where it manages them), and with --retain',
    'old partitions dropped or old rows archived in batches. It also lists the largest tables and the unused indexes',
    '(unused-indexes; never dropped by a job) and records sizes daily (--no-size-history to leave that out).',
    '',
    'Output: pg_cron calls (cron.schedule, or cron.schedule_in_database when pg_cron lives in another database:',
    'cron.database_name says which), the same statements as plain SQL and as a crontab, and in JSON',
    'maintenance.jobs [{ name, schedule, sql, why }]. --apply creates or updates the jobs in its own read-write',
    'session on the pg_cron database; re-running it updates the same job names and removes our jobs the plan no',
    'longer has. Thresholds: --set and the config file\'s "analyzers" section, exactly as for profile.',
    '',
    'Examples:',
    '  db-optimize maintain --db postgresql://localhost/shop --out-dir maintenance/',
    '  db-optimize maintain --db URL --retain events.created_at=90 --set index-bloat.minBloatRatio=0.4 --apply',
  ]),
  common: maintainFlow.common,
  options: maintainFlow.options,
  run: (ctx) => runFlowCommand(ctx, maintainFlow),
};
