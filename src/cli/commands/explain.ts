import { explainFlow } from '../../flows/explain.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'analyze an EXPLAIN plan (JSON, text, psql output or auto_explain log): exclusive time per node and ranked tips',
  usage: 'explain FILE|- [--sql "STATEMENT"] [--db URL] [--format terminal|json|markdown|html]\n       db-optimize explain --compare BEFORE AFTER',
  help: [
    'Reads a plan from FILE (or stdin with -): EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output, text EXPLAIN ANALYZE, text copied',
    'from psql (header, borders, "+" continuations) or auto_explain log lines. Shows the plan tree with the exclusive time of',
    'each node, misestimates and the hot path, and tips ranked by the time they could save.',
    'With --db and the statement text (--sql, --sql-file, or auto_explain\'s Query Text) proposed indexes are checked with HypoPG.',
    '--compare BEFORE AFTER shows what changed between two plans of the same statement (time, buffers, node types).',
    '',
    'Examples:',
    '  psql -XqAt -c "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT ..." > plan.json && db-optimize explain plan.json',
    '  db-optimize explain --compare before.json after.json',
  ].join('\n'),
  common: explainFlow.common,
  options: explainFlow.options,
  run: (ctx) => runFlowCommand(ctx, explainFlow),
};
