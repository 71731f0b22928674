import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { bytesScore, formatBytes } from '../../../format/format.ts';

export const replicationSlots = defineAnalyzer({
  id: 'replication-slots',
  phase: 'profile',
  title: 'Replication slots holding WAL',
  description: 'Inactive replication slots and slots retaining a lot of WAL: the primary keeps every WAL segment a slot still needs, until the disk fills.',
  depth: 1,
  requires: {},
  options: {
    maxRetainedBytes: { default: 1024 * 1024 * 1024, description: 'warn when a slot retains more WAL than this (default 1 GiB)' },
    criticalRetainedBytes: { default: 10 * 1024 * 1024 * 1024, description: 'critical above this much retained WAL (default 10 GiB)' },
    reportInactive: { default: true, description: 'report inactive slots even when they retain little WAL' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const slot of snapshot.replication?.slots ?? []) {
      const retained = slot.retainedBytes ?? 0;
      const big = retained >= options.maxRetainedBytes;
      const lost = slot.walStatus === 'lost' || slot.walStatus === 'unreserved';
      if (!big && !lost && (slot.active || !options.reportInactive)) continue;
      findings.push({
        rule: 'replication-slots',
        severity: retained >= options.criticalRetainedBytes || lost ? 'critical' : big ? 'warning' : 'info',
        title: `Replication slot ${slot.name} is ${slot.active ? 'active' : 'inactive'} and retains ${formatBytes(retained)} of WAL`,
        target: { kind: 'replication', name: slot.name },
        evidence: {
          slot: slot.name,
          slotType: slot.slotType,
          active: slot.active,
          database: slot.database,
          retainedBytes: slot.retainedBytes,
          walStatus: slot.walStatus,
          maxRetainedBytes: options.maxRetainedBytes,
        },
        impact: { score: bytesScore(retained) + (slot.active ? 0 : 10), bytes: retained, summary: `${formatBytes(retained)} of WAL kept on the primary's disk for this slot` },
        description:
          (slot.active
            ? 'The consumer is connected but not keeping up.'
            : 'No consumer is connected: a decommissioned standby or a stopped logical replication/CDC job. The slot keeps WAL (and, for logical slots, the catalog xmin) forever.') +
          (lost ? ' Its WAL status is lost/unreserved: the consumer can no longer resume from it.' : ''),
        fix: {
          kind: 'sql',
          content: `-- printed, never run by db-optimize: only if nothing will consume this slot again\nSELECT pg_drop_replication_slot('${slot.name.replace(/'/g, "''")}');`,
          safety: 'dangerous',
          verified: false,
          verification: 'a dropped slot cannot be recreated at the same position: its consumer must be re-initialised',
        },
      });
    }
    return findings;
  },
});
