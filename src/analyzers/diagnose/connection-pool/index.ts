import { defineAnalyzer } from '../../../engine/analyzer.ts';
import { connectionProfile } from '../../../pool/connection-profile.ts';
import { DEFAULT_THRESHOLDS, profileFindings } from '../../../pool/pool-findings.ts';

export const connectionPool = defineAnalyzer({
  id: 'connection-pool',
  phase: 'diagnose',
  title: 'Connection pool analysis',
  description: 'Connections against max_connections, idle backends and their memory, sessions idle in transaction and per-request (unpooled) connections, from pg_stat_activity.',
  depth: 2,
  requires: {},
  options: {
    usageWarnPercent: { default: DEFAULT_THRESHOLDS.usageWarn * 100, description: 'warn when client connections reach this share of max_connections minus reserved slots' },
    idleMin: { default: 10, description: 'report idle connections from this many (and at least twice the active ones)' },
    idleInTransactionSeconds: { default: 30, description: 'report sessions idle in transaction for longer than this' },
    shortLivedSeconds: { default: 5, description: 'client connections younger than this count as opened per request' },
    shortLivedMin: { default: 5, description: 'how many young connections it takes to call it "no pooling"' },
  },
  run({ snapshot, options }) {
    const profile = connectionProfile(snapshot, { shortLivedSeconds: options.shortLivedSeconds });
    if (profile === null) return [];
    return profileFindings(profile, {
      usageWarn: options.usageWarnPercent / 100,
      idleMin: options.idleMin,
      idleInTransactionSeconds: options.idleInTransactionSeconds,
      shortLivedMin: options.shortLivedMin,
      shortLivedShare: 0.3,
    });
  },
});
