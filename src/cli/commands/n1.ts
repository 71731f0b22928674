import { n1Flow } from '../../flows/n1.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const n1Command: Command = {
  name: 'n1',
  aliases: ['--fix-n1', 'fix-n1'],
  summary: 'N+1 queries from PostgreSQL logs, app capture or OpenTelemetry traces, with the ORM code that fixes them',
  usage: 'n1 [--log FILE|-]... [--capture FILE]... [--otlp FILE]... [--otlp-port N [--duration S]] [--orm ORM] [--db URL] [--format …]',
  help: [
    'Finds statements repeated once per row (N+1, 1 + N, MN+1, parallel fan-out), identical repeats (cache candidates)',
    'and row-by-row inserts, grouped by request / transaction and call site, and proposes the batched SQL and the',
    'eager-loading code for your ORM (sqlalchemy, prisma, typeorm, sequelize, drizzle, knex, mikro-orm, dataloader, pg).',
    '',
    'Sources: PostgreSQL logs (stderr with log_line_prefix, csvlog, jsonlog; log_statement = all or',
    "log_min_duration_statement = 0; recommended log_line_prefix = '%m [%p] %c %v %x '), capture files written by",
    "the 'db-optimize/capture' export, OTLP JSON trace files, or traces POSTed to --otlp-port.",
    'With --db the relationships come from the foreign keys of the live database (read-only).',
    '',
    'Examples:',
    '  db-optimize n1 --log /var/log/postgresql/postgresql-16-main.log',
    '  db-optimize n1 --capture queries.ndjson',
    '  db-optimize n1 --otlp-port 4318 --duration 60 --orm prisma',
  ].join('\n'),
  common: n1Flow.common,
  options: n1Flow.options,
  run: (ctx) => runFlowCommand(ctx, n1Flow),
};
