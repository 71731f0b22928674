import { fullFlow } from '../../flows/full.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const fullCommand: Command = {
  name: 'full',
  aliases: ['--full'],
  summary: 'every analyzer, phase by phase: profile, diagnose, optimize, implement',
  usage: 'full [--db URL] [--depth 1-5] [--format terminal|json|markdown|html] [--out FILE]',
  help: 'Runs every registered analyzer (up to --depth, default 5) and prints one report ranked by estimated gain.',
  common: fullFlow.common,
  options: fullFlow.options,
  run: (ctx) => runFlowCommand(ctx, fullFlow),
};
