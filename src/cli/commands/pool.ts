import { helpText } from '../../format/wrap-section-lines.ts';
import { poolFlow } from '../../flows/pool.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const poolCommand: Command = {
  name: 'pool',
  summary: 'connection analysis (pg_stat_activity) and pool sizing for an application fleet',
  usage: 'pool [--db URL] [--app-instances N --cpus N] [--pool-size N] [--max-overflow N] [--avg-query-ms MS] [--max-connections N]',
  help: helpText([
    'With --db (or DATABASE_URL): connections by state, application and client address, idle and idle-in-transaction',
    'time, usage against max_connections, memory held by idle backends, per-request (short-lived) connections.',
    'With the fleet (--app-instances, --cpus, optionally the current --pool-size/--max-overflow): what each side can open,',
    'whether the peak exceeds max_connections, and the recommended max_connections, pool size, min idle, idle timeout and',
    'max lifetime per instance, with SQLAlchemy, node-postgres and Prisma settings from the same budget.',
    '',
    'Example (seed "Pool Sizing"):',
    '  db-optimize pool --pg-version 14 --cpus 8 --ram 32GB --app-instances 10 --pool-size 20 --max-overflow 10 --avg-query-ms 5 --max-connections 100',
  ]),
  common: poolFlow.common,
  options: poolFlow.options,
  run: (ctx) => runFlowCommand(ctx, poolFlow),
};
