import { profileFlow } from '../../flows/profile.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const profileCommand: Command = {
  name: 'profile',
  aliases: ['--profile'],
  summary: 'PROFILE phase: query profiler, index scanner, database health',
  usage: 'profile [--db URL] [--baseline FILE] [--set ID.OPTION=VALUE]',
  help:
    'Reads the catalog, statistics views and pg_stat_statements (read-only) and\n' +
    'reports findings ranked by estimated gain, in three sections:\n' +
    '  Query profiler   top statements by total time (and by mean, calls, rows,\n' +
    '                   blocks, temp, planning), slow statements, regressions\n' +
    '  Index scanner    invalid, unused, duplicate, redundant indexes, foreign keys\n' +
    '                   without index, index candidates, bloat, NOT VALID checks\n' +
    '  Database health  wraparound, sequences, lock chains, idle in transaction,\n' +
    '                   connections, vacuum, replication, cache, checkpoints,\n' +
    '                   temp files, deadlocks, rollbacks, settings\n' +
    'Every threshold is an analyzer option: --set slow-statements.minMeanMs=50.\n' +
    'pg_cancel_backend / pg_terminate_backend statements are printed, never run.\n' +
    'Keep a JSON report (--format json --out before.json), then compare later runs\n' +
    'with --baseline before.json.',
  common: profileFlow.common,
  options: profileFlow.options,
  run: (ctx) => runFlowCommand(ctx, profileFlow),
};
