import { validateFlow } from '../../flows/validate.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'apply the advice on a copy of the database, replay the workload, measure before and after',
  usage: 'validate [--db URL] [--workload FILE.sql | --log FILE] [--clients N] [--duration SECONDS]',
  help: [
    'Copies the database with CREATE DATABASE … TEMPLATE (needs CREATEDB, ownership of the source and no other',
    'session connected to it: for a busy production database, run it against a staging copy), applies the index',
    "advisor's indexes and the verified rewrites to the copy, replays the workload (pg_stat_statements by default,",
    'or --workload / --log) with node-postgres workers before and after, and reports p50/p95/p99 and calls/s per',
    'statement and overall, with the seed scorecard (p95 < 100 ms, p99 < 500 ms). The copy is dropped at the end,',
    'on error and on Ctrl-C; copies left by a killed run are dropped by the next one. Nothing runs on the source',
    'but reading its workload: when the copy cannot be made, validate stops with exit code 2.',
  ].join('\n'),
  common: validateFlow.common,
  options: validateFlow.options,
  run: (ctx) => runFlowCommand(ctx, validateFlow),
};
