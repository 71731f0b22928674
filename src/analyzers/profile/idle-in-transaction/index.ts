import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatDuration } from '../../../format/format.ts';
import { backendEvidence, isClient } from '../backend-format.ts';
import { settingNumber } from '../settings-lookup.ts';

export const idleInTransaction = defineAnalyzer({
  id: 'idle-in-transaction',
  phase: 'profile',
  title: 'Sessions idle in transaction',
  description: 'Sessions that opened a transaction and stopped talking: they hold locks and hold back VACUUM (dead rows cannot be removed) for as long as they stay open.',
  depth: 1,
  requires: {},
  options: {
    minSeconds: { default: 60, description: 'ignore sessions idle in transaction for less than this' },
    criticalSeconds: { default: 1800, description: 'critical when the oldest has been idle in transaction this long' },
    maxListed: { default: 10, description: 'how many sessions to list (oldest first)' },
  },
  run({ snapshot, options }) {
    const backends = (snapshot.connections?.backends ?? [])
      .filter((b) => isClient(b) && (b.state === 'idle in transaction' || b.state === 'idle in transaction (aborted)'))
      .filter((b) => (b.stateAgeSeconds ?? 0) >= options.minSeconds)
      .sort((a, b) => (b.stateAgeSeconds ?? 0) - (a.stateAgeSeconds ?? 0));
    const oldest = backends[0];
    if (oldest === undefined) return [];
    const oldestIdle = oldest.stateAgeSeconds ?? 0;
    const listed = backends.slice(0, options.maxListed);
    const timeout = settingNumber(snapshot, 'idle_in_transaction_session_timeout', 0);
    const finding: Finding = {
      rule: 'idle-in-transaction',
      severity: oldestIdle >= options.criticalSeconds ? 'critical' : 'warning',
      title: `${backends.length} session${backends.length === 1 ? '' : 's'} idle in transaction, oldest for ${formatDuration(oldestIdle)} (pid ${oldest.pid})`,
      target: { kind: 'connection', name: `pid ${oldest.pid}` },
      evidence: {
        count: backends.length,
        oldestPid: oldest.pid,
        oldestIdleSeconds: Math.round(oldestIdle),
        oldestTransactionSeconds: oldest.xactAgeSeconds === null ? null : Math.round(oldest.xactAgeSeconds),
        idleInTransactionSessionTimeoutMs: timeout,
        sessions: listed.map(backendEvidence),
      },
      impact: {
        score: oldestIdle,
        summary: `holds its locks and the VACUUM horizon for ${formatDuration(oldestIdle)}; rows deleted or updated since then cannot be cleaned up`,
      },
      description:
        'The last statement of each session is shown; the application forgot to COMMIT/ROLLBACK, or does slow work (HTTP calls, user input) inside a transaction. ' +
        (timeout === 0 ? 'idle_in_transaction_session_timeout is off, so nothing ends them.' : `idle_in_transaction_session_timeout is ${timeout} ms.`),
      nextSteps: [
        'fix the code path that leaves the transaction open (the query shows its last statement)',
        ...(timeout === 0 ? ["set a safety net: ALTER DATABASE … SET idle_in_transaction_session_timeout = '5min'"] : []),
      ],
      fix: {
        kind: 'sql',
        content: [
          '-- printed, never run by db-optimize: ends the sessions and rolls back their transactions',
          ...listed.map((b) => `SELECT pg_terminate_backend(${b.pid}); -- ${b.user ?? '?'} @ ${b.applicationName || b.clientAddr || 'unknown'}, idle ${formatDuration(b.stateAgeSeconds ?? 0)}`),
        ].join('\n'),
        safety: 'dangerous',
        verified: false,
        verification: 'terminating rolls back whatever the session did in its transaction; check with its owner first',
      },
    };
    return [finding];
  },
});
