import { indexesFlow } from '../../flows/indexes.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const indexesCommand: Command = {
  name: 'indexes',
  aliases: ['--indexes'],
  summary: 'index advisor: workload-wide index selection checked with HypoPG, with drops and a migration',
  usage: 'indexes [--db URL] [--workload FILE.sql | --statement SQL | --min-calls N --min-time MS] [--budget-mb N] [--max-indexes N] [--time-limit S] [--migration-out FILE] [--create [--yes]] [--validate]',
  help:
    'Reads the workload (pg_stat_statements by default), generates btree/covering/partial/expression/GIN/trigram/full-text/BRIN candidates from its predicates, ' +
    'costs them with HypoPG (real builds in rolled-back transactions for GIN/BRIN on small tables), selects a configuration by benefit per byte under the budget, ' +
    'net of write overhead, and lists redundant indexes to drop. Nothing is written to the database unless --create is given.',
  common: indexesFlow.common,
  options: indexesFlow.options,
  run: (ctx) => runFlowCommand(ctx, indexesFlow),
};
