import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Backend, Finding } from '../../../model/index.ts';
import { formatDuration } from '../../../format/format.ts';
import { backendEvidence } from '../backend-format.ts';
import { shortQuery } from '../statement-relations.ts';

interface Chain {
  readonly root: Backend | undefined;
  readonly rootPid: number;
  readonly waiting: Backend[];
  readonly depth: number;
}

export const lockBlocking = defineAnalyzer({
  id: 'lock-blocking',
  phase: 'profile',
  title: 'Sessions waiting on locks and the blocking chain',
  description: 'Who blocks whom (pg_blocking_pids), from the session at the head of each chain down to every waiter, with the statement to end it (printed, never run).',
  depth: 1,
  requires: {},
  options: {
    minWaitSeconds: { default: 0, description: 'ignore waiters whose statement started less than this many seconds ago' },
    criticalWaiters: { default: 5, description: 'critical when a chain blocks at least this many sessions' },
  },
  run({ snapshot, options }) {
    const backends = snapshot.connections?.backends ?? [];
    const byPid = new Map(backends.map((b) => [b.pid, b]));
    const waiters = backends.filter((b) => b.blockedBy.length > 0 && (b.queryAgeSeconds ?? 0) >= options.minWaitSeconds);
    if (waiters.length === 0) return [];
    // follow blockers up to a session that is not itself blocked: the head of the chain
    const rootsOf = (pid: number, seen: Set<number> = new Set()): number[] => {
      const b = byPid.get(pid);
      if (b === undefined || b.blockedBy.length === 0 || seen.has(pid)) return [pid];
      seen.add(pid);
      return [...new Set(b.blockedBy.flatMap((p) => rootsOf(p, seen)))];
    };
    const depthOf = (pid: number, seen: Set<number> = new Set()): number => {
      const b = byPid.get(pid);
      if (b === undefined || b.blockedBy.length === 0 || seen.has(pid)) return 0;
      seen.add(pid);
      return 1 + Math.max(...b.blockedBy.map((p) => depthOf(p, seen)));
    };
    const chains = new Map<number, Chain>();
    for (const w of waiters) {
      for (const root of rootsOf(w.pid)) {
        const chain = chains.get(root) ?? { root: byPid.get(root), rootPid: root, waiting: [], depth: 0 };
        chain.waiting.push(w);
        chains.set(root, { ...chain, depth: Math.max(chain.depth, depthOf(w.pid)) });
      }
    }
    return [...chains.values()].map((chain): Finding => {
      const r = chain.root;
      const longestWait = Math.max(...chain.waiting.map((w) => w.queryAgeSeconds ?? 0));
      const idleInTx = r?.state?.startsWith('idle in transaction') === true;
      const tree = chain.waiting
        .sort((a, b) => (b.queryAgeSeconds ?? 0) - (a.queryAgeSeconds ?? 0))
        .map((w) => `pid ${w.pid} waits ${formatDuration(w.queryAgeSeconds ?? 0)} on ${w.blockedBy.join(', ')}: ${shortQuery(w.query ?? '?', 60)}`);
      return {
        rule: 'lock-blocking',
        severity: chain.waiting.length >= options.criticalWaiters || longestWait >= 60 ? 'critical' : 'warning',
        title: `pid ${chain.rootPid} blocks ${chain.waiting.length} session${chain.waiting.length === 1 ? '' : 's'} (longest wait ${formatDuration(longestWait)})`,
        target: { kind: 'connection', name: `pid ${chain.rootPid}` },
        evidence: {
          blockerPid: chain.rootPid,
          blocker: r === undefined ? null : backendEvidence(r),
          waiting: chain.waiting.map(backendEvidence),
          waitingCount: chain.waiting.length,
          chainDepth: chain.depth,
          longestWaitSeconds: Math.round(longestWait),
        },
        impact: { score: longestWait * chain.waiting.length + chain.waiting.length, summary: `${chain.waiting.length} sessions stalled behind pid ${chain.rootPid}` },
        description:
          `Head of the chain: pid ${chain.rootPid}` +
          (r === undefined ? ' (not visible: another database user, or it just ended).' : ` (${r.state ?? 'unknown state'}${r.query === null ? '' : `, last statement: ${shortQuery(r.query, 80)}`}).`) +
          `\n${tree.join('\n')}` +
          (idleInTx ? '\nThe blocker is idle in transaction: it holds its locks while doing nothing; cancelling has no effect, only terminating ends it.' : ''),
        nextSteps: [
          'find why the blocker holds its lock (a long transaction, a migration without lock_timeout, an idle-in-transaction session)',
          "give migrations a lock_timeout so they fail fast instead of queueing everyone behind them: SET lock_timeout = '2s'",
        ],
        fix: {
          kind: 'sql',
          content: [
            '-- printed, never run by db-optimize',
            ...(idleInTx ? [] : [`SELECT pg_cancel_backend(${chain.rootPid});    -- cancels its current statement`]),
            `${idleInTx ? '' : '-- if the chain persists: '}SELECT pg_terminate_backend(${chain.rootPid}); -- ends the session, rolls back its transaction`,
          ].join('\n'),
          safety: 'dangerous',
          verified: false,
          verification: 'ending the blocker rolls back its work; check with its owner first',
        },
      };
    });
  },
});
