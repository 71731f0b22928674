import type { Command } from '../command.ts';
import { runAnalysisCommand } from '../run-analysis.ts';

export const profileCommand: Command = {
  name: 'profile',
  aliases: ['--profile'],
  summary: 'PROFILE phase: top statements, cache and index health, unused/duplicate indexes, unindexed foreign keys',
  usage: 'profile [--db URL] [--format terminal|json|markdown] [--out FILE] [--baseline report.json]',
  help: 'Reads the catalog, statistics views and pg_stat_statements (read-only) and reports what costs the most, ranked by estimated gain.',
  common: ['connection', 'report', 'analysis'],
  options: {
    baseline: { type: 'string', valueName: 'report.json', description: 'compare with an earlier JSON report (regressions)' },
  },
  run: (ctx) => runAnalysisCommand(ctx, 'profile', ['profile'], 3),
};
