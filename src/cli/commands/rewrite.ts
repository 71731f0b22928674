import { rewriteFlow } from '../../flows/rewrite.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const rewriteCommand: Command = {
  name: 'rewrite',
  summary: 'rewrite one statement and prove it: same rows on your data, cheaper plan',
  usage: 'rewrite [--db URL] "SQL" | --file query.sql [--analyze] [--verify-sample PCT] [--verify-budget SECONDS] [--row-cap N] [--uses col,col]',
  help: [
    'Applies the rewrite rules (correlated aggregates, IN/EXISTS, NOT IN, keyset pagination, OR → UNION ALL,',
    'SELECT *, COUNT(*) > 0, DISTINCT over joins, sargable predicates, trigram and expression indexes,',
    'ORDER BY random(), UNION → UNION ALL, long IN lists, CTE materialization) and, with a database,',
    'runs both statements read-only to compare their rows (multisets, ordered when ORDER BY ends in a',
    'unique key, parameter sets drawn from pg_stats) and their planner cost. Only a rewrite that returns',
    'the same rows and plans cheaper is shown as verified. Statements that could write are never run.',
    'Without --db the rewrites are static and unverified.',
  ].join('\n'),
  common: rewriteFlow.common,
  options: rewriteFlow.options,
  run: (ctx) => runFlowCommand(ctx, rewriteFlow),
};
