import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatDuration, round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';

export const deadlocks = defineAnalyzer({
  id: 'deadlocks',
  phase: 'profile',
  title: 'Deadlocks',
  description: 'Deadlocks detected in this database since the stats reset: each one aborted a transaction the application had to retry or lost.',
  depth: 1,
  requires: {},
  options: {
    minDeadlocks: { default: 1, description: 'report at or above this many deadlocks since the stats reset' },
    warnPerDay: { default: 1, description: 'warning (instead of info) at or above this many deadlocks per day' },
  },
  run({ snapshot, options }) {
    const db = snapshot.database;
    if (db === null || db.deadlocks < options.minDeadlocks) return [];
    const window = snapshot.server.statsAgeSeconds;
    const rate = perDay(db.deadlocks, window);
    const finding: Finding = {
      rule: 'deadlocks',
      history: { windowSeconds: Math.round(window), note: 'deadlocks per day extrapolated from the statistics window (at least an hour)' },
      severity: rate >= options.warnPerDay ? 'warning' : 'info',
      title: `${db.deadlocks} deadlock${db.deadlocks === 1 ? '' : 's'} in ${formatDuration(window)} (${round(rate, 1)}/day)`,
      target: { kind: 'database', name: db.name },
      evidence: { deadlocks: db.deadlocks, perDay: round(rate, 2), statsAgeSeconds: Math.round(window), statsReset: db.statsReset },
      impact: { score: db.deadlocks * 10, summary: `${db.deadlocks} transactions aborted by the deadlock detector` },
      description:
        'Two transactions locked the same rows in opposite orders. PostgreSQL aborts one after deadlock_timeout; the server log has both statements ("deadlock detected" with DETAIL).',
      nextSteps: [
        'read the "deadlock detected" entries in the server log (db-optimize logs) for the two statements involved',
        'lock rows in a consistent order (ORDER BY id … FOR UPDATE), keep transactions short, and retry on SQLSTATE 40P01',
      ],
    };
    return [finding];
  },
});
