import type { Command } from '../command.ts';
import { runAnalysisCommand } from '../run-analysis.ts';

export const fullCommand: Command = {
  name: 'full',
  aliases: ['--full'],
  summary: 'every analyzer, phase by phase: profile, diagnose, optimize, implement',
  usage: 'full [--db URL] [--depth 1-5] [--format terminal|json|markdown] [--out FILE]',
  help: 'Runs every registered analyzer (up to --depth, default 5) and prints one report ranked by estimated gain.',
  common: ['connection', 'report', 'analysis'],
  options: {
    baseline: { type: 'string', valueName: 'report.json', description: 'compare with an earlier JSON report (regressions)' },
  },
  run: (ctx) => runAnalysisCommand(ctx, 'full', undefined, 5),
};
