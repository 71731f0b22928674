import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount, percent, round } from '../../../format/format.ts';

export const rollbackRatio = defineAnalyzer({
  id: 'rollback-ratio',
  phase: 'profile',
  title: 'Transaction rollback ratio',
  description: 'Share of transactions that end in ROLLBACK: errors, aborted work, or frameworks rolling back read-only transactions.',
  depth: 1,
  requires: {},
  options: {
    maxRatio: { default: 0.05, description: 'warn when rollbacks are more than this share of all transactions' },
    minTransactions: { default: 1000, description: 'ignore until this many transactions happened since the stats reset' },
  },
  run({ snapshot, options }) {
    const db = snapshot.database;
    if (db === null) return [];
    const total = db.xactCommit + db.xactRollback;
    if (total < options.minTransactions) return [];
    const ratio = db.xactRollback / total;
    if (ratio <= options.maxRatio) return [];
    const finding: Finding = {
      rule: 'rollback-ratio',
      severity: 'warning',
      title: `${percent(ratio)} of transactions roll back (${formatCount(db.xactRollback)} of ${formatCount(total)})`,
      target: { kind: 'database', name: db.name },
      evidence: { commits: db.xactCommit, rollbacks: db.xactRollback, rollbackRatio: round(ratio, 4), maxRatio: options.maxRatio, statsReset: db.statsReset },
      impact: { score: db.xactRollback / 1000, summary: `${formatCount(db.xactRollback)} transactions did work that was thrown away (or failed)` },
      description:
        'A high rollback ratio usually means errors (constraint violations, serialization failures, deadlocks, statement timeouts) or an ORM/driver that rolls back every read-only transaction. The second is harmless; the first wastes work and hides bugs.',
      nextSteps: ['check the server log for ERROR lines by SQLSTATE (db-optimize logs)', 'if it is the driver rolling back reads, ignore this finding (raise maxRatio)'],
    };
    return [finding];
  },
});
