import type { RuleDefinition } from '../model/index.ts';
import { DEFAULT_THRESHOLDS, USAGE_CRITICAL } from './pool-findings.ts';

const docs = 'src/pool/pool-findings.ts';
const t = DEFAULT_THRESHOLDS;

/** The findings of `db-optimize pool` (the connection-pool analyzer reports the first four too). */
export const POOL_RULES: readonly RuleDefinition[] = [
  {
    id: 'connection-pool/near-max-connections',
    kind: 'pool',
    title: 'Client connections near max_connections',
    description: 'Connections in use (pg_stat_activity, or the peak seen with --watch) against max_connections minus the reserved slots.',
    severity: 'varies',
    severityNote: `warning at ${t.usageWarn * 100} %, critical at ${USAGE_CRITICAL * 100} %`,
    options: [{ name: 'usageWarnPercent', default: t.usageWarn * 100, description: 'warn at this share of the usable connections (connection-pool analyzer option)' }],
    command: 'pool',
    docs,
  },
  {
    id: 'connection-pool/idle-connections',
    kind: 'pool',
    title: 'Many idle connections holding backend memory',
    description: 'Idle connections at least twice the active ones hold memory and connection slots.',
    severity: 'varies',
    severityNote: 'info; warning when idle connections are half of the usable slots',
    options: [{ name: 'idleMin', default: t.idleMin, description: 'idle connections before reporting' }],
    command: 'pool',
    docs,
  },
  {
    id: 'connection-pool/idle-in-transaction',
    kind: 'pool',
    title: 'Sessions idle in transaction',
    description: 'A transaction left open holds locks and a connection and stops VACUUM; the fix sets idle_in_transaction_session_timeout.',
    severity: 'varies',
    severityNote: 'warning; critical when the oldest is 5 minutes or more',
    options: [{ name: 'idleInTransactionSeconds', default: t.idleInTransactionSeconds, description: 'report when the oldest has been idle this long' }],
    command: 'pool',
    docs,
  },
  {
    id: 'connection-pool/short-lived-connections',
    kind: 'pool',
    title: 'Connections opened per request',
    description: 'Most client backends started moments ago: the client connects per request (no pool).',
    severity: 'warning',
    options: [
      { name: 'shortLivedMin', default: t.shortLivedMin, description: 'young connections before reporting' },
      { name: 'shortLivedShare', default: t.shortLivedShare, description: 'share of client connections that must be young' },
    ],
    command: 'pool',
    docs,
  },
  {
    id: 'pool-sizing/fleet-vs-server',
    kind: 'pool',
    title: 'What the fleet can open against what the server accepts',
    description: 'Instances × (pool size + overflow) at the deploy/autoscaling peak against max_connections minus reserved slots.',
    severity: 'varies',
    severityNote: 'critical when the peak exceeds the server, else info',
    command: 'pool',
    docs,
  },
  {
    id: 'pool-sizing/server',
    kind: 'pool',
    title: 'Server connection settings for the fleet',
    description: 'max_connections, idle_session_timeout and idle_in_transaction_session_timeout for the recommended pools (ALTER SYSTEM).',
    severity: 'varies',
    severityNote: 'warning when the current fleet exceeds the server, else info',
    command: 'pool',
    docs,
  },
  {
    id: 'pool-sizing/application',
    kind: 'pool',
    title: 'Application pool settings per instance',
    description: 'Pool size, overflow, idle timeout and lifetime per instance, as SQLAlchemy, node-postgres and Prisma settings.',
    severity: 'varies',
    severityNote: 'warning when the current fleet exceeds the server, else info',
    command: 'pool',
    docs,
  },
];
