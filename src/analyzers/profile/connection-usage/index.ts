import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Severity } from '../../../model/index.ts';
import { percent, round } from '../../../format/format.ts';

export const connectionUsage = defineAnalyzer({
  id: 'connection-usage',
  phase: 'profile',
  title: 'Connections in use',
  description: 'Client connections as a share of max_connections minus the reserved slots, with the split by state.',
  depth: 1,
  requires: {},
  options: {
    warnPercent: { default: 70, description: 'warn at or above this share of usable connections' },
    criticalPercent: { default: 90, description: 'critical at or above this share of usable connections' },
  },
  run({ snapshot, options }) {
    const c = snapshot.connections;
    if (c === null) return [];
    const usable = Math.max(1, c.maxConnections - c.superuserReserved - c.reserved);
    const ratio = c.total / usable;
    const severity: Severity = ratio * 100 >= options.criticalPercent ? 'critical' : ratio * 100 >= options.warnPercent ? 'warning' : 'info';
    const idle = c.byState.idle ?? 0;
    const finding: Finding = {
      rule: 'connection-usage',
      severity,
      title: `${c.total} of ${usable} usable connections in use (${percent(ratio, 0)})`,
      target: { kind: 'connection', name: 'max_connections' },
      evidence: {
        connections: c.total,
        maxConnections: c.maxConnections,
        superuserReserved: c.superuserReserved,
        reserved: c.reserved,
        usable,
        usedRatio: round(ratio, 4),
        byState: { ...c.byState },
        warnPercent: options.warnPercent,
        criticalPercent: options.criticalPercent,
      },
      impact: {
        score: severity === 'info' ? 0 : ratio * 1000,
        summary:
          severity === 'info'
            ? 'headroom is fine'
            : `${usable - c.total} connections left before clients get "too many clients already"; ${idle} are idle`,
      },
      description:
        severity === 'info'
          ? 'Connection use is below the warning threshold.'
          : 'Each PostgreSQL connection is a process with its own memory; near the limit new connections fail. Idle connections are the usual waste: a pooler (PgBouncer, transaction mode) serves many clients with few server connections.',
      ...(severity === 'info'
        ? {}
        : { nextSteps: ['size the pool from cores and workload: db-optimize pool', 'put PgBouncer in front of the database: db-optimize pgbouncer'] }),
    };
    return [finding];
  },
});
