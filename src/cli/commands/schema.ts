import { schemaFlow } from '../../flows/schema.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'schema review: column types, normalization, missing keys, denormalization for read-heavy patterns, time-series design',
  usage: 'schema [--db URL | --ddl FILE…] [--workload FILE.sql] [--timeseries --rows-per-minute N --retention 2y]',
  help: [
    'Reviews a live database (--db, read-only; functional dependencies and orphaned foreign keys are checked on a bounded sample)',
    'or DDL files (--ddl, parsed with the PostgreSQL parser: sizes, statistics and data-based checks are unknown and listed).',
    'Denormalization needs a workload: pg_stat_statements on --db, or --workload FILE.sql with "-- calls: 10000/s" weights.',
    'Time series without a table: --timeseries --rows-per-minute 10000 --retention 2y [--table sensor_readings --time-column recorded_at',
    '--series-column sensor_id --row-bytes 24] prints the schema, partition plan, pg_partman/pg_cron schedule, rollups and storage estimate.',
  ].join('\n'),
  common: schemaFlow.common,
  options: schemaFlow.options,
  run: (ctx) => runFlowCommand(ctx, schemaFlow),
};
