import type { RuleDefinition } from '../../model/index.ts';

/** The finding of `db-optimize migrate plan`. */
export const MIGRATION_PLAN_RULES: readonly RuleDefinition[] = [
  {
    id: 'migration-plan',
    kind: 'migration-plan',
    title: 'Naive DDL and its zero-downtime plan',
    description: 'What the naive statement locks and for how long on this PostgreSQL version, with step-by-step DDL (lock_timeout, retries, batched backfills) as the fix.',
    severity: 'varies',
    severityNote: 'critical when the naive DDL rewrites the table, warning when it blocks while scanning, info when metadata only',
    command: 'migrate plan',
    docs: 'src/migrate/plan/plan-report.ts',
  },
];
