import { queryFlow } from '../../flows/query.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const queryCommand: Command = {
  name: 'query',
  summary: 'run EXPLAIN ANALYZE on one statement (read-only), explain why it is slow and check the fixes against the database',
  usage: 'query --db URL "SQL" | --file FILE [--param V]... [--allow-writes] [--apply-in-sandbox] [--rewrite "SQL"] [--format ...]',
  help: [
    'Runs EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) in a read-only transaction that is rolled back, under the',
    'statement timeout. Statements that write run only with --allow-writes, inside BEGIN … ROLLBACK; so do statements',
    'that call functions with side effects (pg_terminate_backend, advisory locks, nextval, pg_reload_conf, VOLATILE',
    'user functions, also behind views, casts, domain checks and row security policies), which a rollback does not',
    'undo. Literals in plan conditions and sampled values are masked unless',
    '--show-literals.',
    'Parameters ($1…): --param values, else EXPLAIN (GENERIC_PLAN) on PostgreSQL 16+ (estimates only), else values',
    'sampled from pg_stats (most common value / median histogram bound); the report says which.',
    'Proposed indexes are checked with HypoPG when it is installed (cost before/after). --apply-in-sandbox builds each',
    'proposed index inside a rolled-back transaction and measures the statement again (takes a SHARE lock on the table',
    'while it runs: writes to it wait). --rewrite measures a rewritten statement against the original and checks that',
    'both return the same rows (EXCEPT ALL both ways).',
    '',
    'Examples:',
    '  db-optimize query --db postgresql://localhost/shop "SELECT * FROM orders WHERE status = \'pending\'"',
    '  db-optimize query --db $URL --file report.sql --apply-in-sandbox',
  ].join('\n'),
  common: queryFlow.common,
  options: queryFlow.options,
  run: (ctx) => runFlowCommand(ctx, queryFlow),
};
