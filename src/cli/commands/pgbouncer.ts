import { helpText } from '../../format/wrap-section-lines.ts';
import { pgbouncerFlow } from '../../flows/pgbouncer.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const pgbouncerCommand: Command = {
  name: 'pgbouncer',
  summary: 'generate a drop-in pgbouncer.ini (+ auth guidance) and scan the workload for what breaks transaction pooling',
  usage: 'pgbouncer --clients N [--max-connections N | --db URL] [--cpus N] [--read-mostly] [--serverless] [--workload FILE.sql | --log FILE] [--pgbouncer-version 1.21] [--write-ini FILE]',
  help: helpText([
    'Sizes pool_mode, default_pool_size, min_pool_size, reserve_pool_size/timeout, max_db_connections, max_client_conn,',
    'server_lifetime, server_idle_timeout, query_wait_timeout and (1.21+) max_prepared_statements, each with its reason.',
    'Before recommending transaction mode it scans the workload — pg_stat_statements (--db), a PostgreSQL log (--log) or',
    'a SQL file (--workload) — for session SET, LISTEN, session advisory locks, WITH HOLD cursors, SQL PREPARE and temp tables.',
    'The target PgBouncer version is --pgbouncer-version, else the installed `pgbouncer --version`, else 1.21.',
    '',
    'Example (seed "Connection Pooler Setup"):',
    '  db-optimize pgbouncer --clients 50 --serverless --max-connections 100 --read-mostly --avg-query-ms 5',
  ]),
  common: pgbouncerFlow.common,
  options: pgbouncerFlow.options,
  run: (ctx) => runFlowCommand(ctx, pgbouncerFlow),
};
