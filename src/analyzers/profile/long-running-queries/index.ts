import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatDuration } from '../../../format/format.ts';
import { backendEvidence, isClient } from '../backend-format.ts';
import { shortQuery } from '../statement-relations.ts';

export const longRunningQueries = defineAnalyzer({
  id: 'long-running-queries',
  phase: 'profile',
  title: 'Long-running statements',
  description: 'Statements that have been running longer than a threshold (PgHero: 60 s).',
  depth: 1,
  requires: {},
  options: {
    minSeconds: { default: 60, description: 'report statements running at least this long' },
    criticalSeconds: { default: 3600, description: 'critical at or above this duration' },
  },
  run({ snapshot, options }) {
    return (snapshot.connections?.backends ?? [])
      .filter((b) => isClient(b) && b.state === 'active' && (b.queryAgeSeconds ?? 0) >= options.minSeconds)
      .sort((a, b) => (b.queryAgeSeconds ?? 0) - (a.queryAgeSeconds ?? 0))
      .map((b): Finding => {
        const age = b.queryAgeSeconds ?? 0;
        return {
          rule: 'long-running-queries',
          severity: age >= options.criticalSeconds ? 'critical' : 'warning',
          title: `pid ${b.pid} has been running for ${formatDuration(age)}: ${shortQuery(b.query ?? '?', 50)}`,
          target: { kind: 'connection', name: `pid ${b.pid}` },
          evidence: { ...(backendEvidence(b) as Record<string, never>), minSeconds: options.minSeconds },
          impact: {
            score: age,
            summary: `${formatDuration(age)} of one backend, plus the VACUUM horizon it holds back${b.waitEventType === 'Lock' ? ' (it is itself waiting on a lock)' : ''}`,
          },
          description:
            'A long statement holds a snapshot (VACUUM cannot remove rows deleted since it started), its locks, and often I/O bandwidth. If it is a report, move it to a replica; if it is unexpected, EXPLAIN it.',
          nextSteps: ['set statement_timeout for the role or application that runs it', 'EXPLAIN the statement: db-optimize query'],
          fix: {
            kind: 'sql',
            content: `-- printed, never run by db-optimize\nSELECT pg_cancel_backend(${b.pid});   -- cancels the statement, keeps the session\n-- if it does not stop: SELECT pg_terminate_backend(${b.pid});`,
            safety: 'dangerous',
            verified: false,
            verification: 'cancelling loses the work done so far; check with the owner of the session first',
          },
        };
      });
  },
});
