import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { bytesScore, formatBytes } from '../../../format/format.ts';

export const replicationLag = defineAnalyzer({
  id: 'replication-lag',
  phase: 'profile',
  title: 'Replication lag per standby',
  description: 'Standbys connected to this primary whose replay lags behind, in time and in WAL bytes.',
  depth: 1,
  requires: {},
  options: {
    maxLagSeconds: { default: 30, description: 'warn when replay lag exceeds this many seconds' },
    maxLagBytes: { default: 1024 * 1024 * 1024, description: 'warn when the standby is this many WAL bytes behind (default 1 GiB)' },
    criticalLagSeconds: { default: 300, description: 'critical above this replay lag' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const s of snapshot.replication?.senders ?? []) {
      const lagS = s.replayLagSeconds ?? 0;
      const lagB = s.lagBytes ?? 0;
      if (lagS < options.maxLagSeconds && lagB < options.maxLagBytes && s.state === 'streaming') continue;
      findings.push({
        rule: 'replication-lag',
        severity: lagS >= options.criticalLagSeconds || s.state !== 'streaming' ? 'critical' : 'warning',
        title: `Standby ${s.applicationName || s.clientAddr || s.pid} is ${lagS.toFixed(1)} s / ${formatBytes(lagB)} behind (${s.state})`,
        target: { kind: 'replication', name: s.applicationName || String(s.pid) },
        evidence: {
          pid: s.pid,
          applicationName: s.applicationName,
          clientAddr: s.clientAddr,
          state: s.state,
          syncState: s.syncState,
          lagBytes: s.lagBytes,
          writeLagSeconds: s.writeLagSeconds,
          flushLagSeconds: s.flushLagSeconds,
          replayLagSeconds: s.replayLagSeconds,
        },
        impact: { score: lagS * 10 + bytesScore(lagB), summary: `reads on this standby see data ${lagS.toFixed(1)} s old; failover would lose or wait for ${formatBytes(lagB)}` },
        description:
          (s.syncState === 'sync' ? 'A synchronous standby that lags slows every commit on the primary. ' : '') +
          'Lag grows when the standby cannot replay as fast as the primary writes (I/O, long queries on the standby conflicting with replay, network).',
        nextSteps: ['on the standby: SELECT now() - pg_last_xact_replay_timestamp(); check its I/O and hot_standby_feedback / max_standby_streaming_delay'],
      });
    }
    return findings;
  },
});
