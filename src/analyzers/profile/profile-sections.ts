import type { Finding } from '../../model/index.ts';

/** A named group of rules, rendered together in the terminal and markdown reports. */
export interface FindingGroup {
  readonly id: string;
  readonly title: string;
  readonly rules: readonly string[];
}

/** The seed's PROFILE phase, in the order a reader wants it: what costs, what to index, what is unhealthy. */
export const PROFILE_GROUPS: readonly FindingGroup[] = [
  {
    id: 'query-profiler',
    title: 'Query profiler',
    rules: ['top-statements', 'slow-statements', 'statement-regressions', 'statement-rankings'],
  },
  {
    id: 'index-scanner',
    title: 'Index scanner',
    rules: [
      'invalid-indexes',
      'unused-indexes',
      'duplicate-indexes',
      'redundant-indexes',
      'fk-without-index',
      'seq-scan-heavy-tables',
      'index-bloat',
      'table-bloat',
      'not-valid-constraints',
    ],
  },
  {
    id: 'database-health',
    title: 'Database health',
    rules: [
      'xid-wraparound',
      'multixact-wraparound',
      'sequence-overflow',
      'lock-blocking',
      'idle-in-transaction',
      'long-running-queries',
      'connection-usage',
      'dead-tuples',
      'autovacuum-behind',
      'never-analyzed',
      'autovacuum-settings',
      'replication-lag',
      'replication-slots',
      'cache-hit-ratio',
      'index-hit-ratio',
      'checkpoint-frequency',
      'temp-files',
      'deadlocks',
      'rollback-ratio',
      'settings-sanity',
    ],
  },
];

/** The group a finding belongs to, or undefined for rules outside the profile phase. */
export function groupOf(finding: Finding, groups: readonly FindingGroup[] = PROFILE_GROUPS): FindingGroup | undefined {
  return groups.find((g) => g.rules.includes(finding.rule));
}
