import type { RuleDefinition } from '../model/index.ts';

const docs = 'src/pgbouncer/pgbouncer-findings.ts';

/** The findings of `db-optimize pgbouncer`. */
export const PGBOUNCER_RULES: readonly RuleDefinition[] = [
  {
    id: 'pgbouncer/transaction-pooling-breaker',
    kind: 'pgbouncer',
    title: 'Statements that need a session break transaction pooling',
    description: 'Session SET, LISTEN, session advisory locks, WITH HOLD cursors, SQL PREPARE and temp tables found in the workload (pg_stat_statements, a log or a SQL file).',
    severity: 'varies',
    severityNote: 'critical in transaction or statement mode, warning in session mode',
    command: 'pgbouncer',
    docs,
  },
  {
    id: 'pgbouncer/config',
    kind: 'pgbouncer',
    title: 'The generated pgbouncer.ini',
    description: 'pool_mode and pool sizes for the clients and the server, each value with its reason.',
    severity: 'info',
    command: 'pgbouncer',
    docs,
  },
];
