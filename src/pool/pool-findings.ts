import { humanSize } from '../config/units.ts';
import type { Finding } from '../model/index.ts';
import type { AppPoolSettings } from './app-pool-settings.ts';
import type { ConnectionProfile } from './connection-profile.ts';
import type { ConnectionSamples } from './sample-connections.ts';
import type { PoolPlan } from './size-pool.ts';

export interface ProfileThresholds {
  readonly usageWarn: number;
  readonly idleMin: number;
  readonly idleInTransactionSeconds: number;
  readonly shortLivedMin: number;
  readonly shortLivedShare: number;
}

export const DEFAULT_THRESHOLDS: ProfileThresholds = { usageWarn: 0.8, idleMin: 10, idleInTransactionSeconds: 30, shortLivedMin: 5, shortLivedShare: 0.3 };

/** Above this share of the usable connections the next spike fails: critical. */
export const USAGE_CRITICAL = 0.95;

const NOT_MEASURABLE = 'connection settings cannot be verified before the change: the numbers follow from pg_stat_activity and the formula shown';

/** Findings visible in pg_stat_activity alone (the diagnose-phase pool analyzer and `pool`). */
export function profileFindings(p: ConnectionProfile, t: ProfileThresholds = DEFAULT_THRESHOLDS, rule = 'connection-pool'): Finding[] {
  const out: Finding[] = [];
  if (p.usage >= t.usageWarn) {
    out.push({
      rule: `${rule}/near-max-connections`,
      severity: p.usage >= USAGE_CRITICAL ? 'critical' : 'warning',
      title: `${p.clients} of ${p.available} connections in use (${Math.round(p.usage * 100)} % of max_connections ${p.maxConnections} minus reserved)`,
      target: { kind: 'connection', name: 'max_connections' },
      evidence: { clients: p.clients, available: p.available, maxConnections: p.maxConnections, superuserReserved: p.superuserReserved, byState: p.byState },
      impact: { score: p.usage * 100, summary: `${p.available - p.clients} connections left before "too many clients" errors` },
      description:
        'When the count reaches max_connections minus the reserved slots, new connections fail with FATAL 53300 "sorry, too many clients already". A snapshot shows one moment: the peak is at least this.',
      nextSteps: ['db-optimize pool --app-instances N --pool-size N: check what the fleet can open', 'db-optimize pgbouncer: multiplex clients over fewer backends'],
    });
  }
  const active = p.byState.active ?? 0;
  if (p.idle.count >= t.idleMin && p.idle.count >= 2 * Math.max(1, active)) {
    out.push({
      rule: `${rule}/idle-connections`,
      severity: p.idle.count >= p.available / 2 ? 'warning' : 'info',
      title: `${p.idle.count} idle connections hold ~${humanSize(p.idleMemoryBytes)} for ${active} active ones`,
      target: { kind: 'connection', name: 'idle' },
      evidence: {
        idle: p.idle.count,
        active,
        idleOver10Minutes: p.idle.over10Minutes,
        idleMedianSeconds: p.idle.medianSeconds,
        idleMaxSeconds: p.idle.maxSeconds,
        estimatedIdleBytes: p.idleMemoryBytes,
        byApplication: p.byApplication.slice(0, 5).map((g) => ({ application: g.name, total: g.total, idle: g.idle })),
        byClientAddress: p.byClientAddress.slice(0, 5).map((g) => ({ address: g.name, total: g.total, idle: g.idle })),
      },
      impact: { score: p.idleMemoryBytes / (1024 * 1024), bytes: p.idleMemoryBytes, summary: `~${humanSize(p.idleMemoryBytes)} of backend memory (estimate: ~5 MB per idle backend)` },
      description:
        'Every pooled connection is a backend process that keeps its catalog and plan caches while idle, and takes a connection slot. Pools that keep many more connections than the server has cores only add memory and slot pressure.',
      nextSteps: ['smaller pool_size / min idle per instance, idle timeout ~60 s (db-optimize pool)', ...(p.idleSessionTimeoutSeconds === 0 ? ['idle_session_timeout (PostgreSQL 14+) as a server-side backstop'] : [])],
    });
  }
  const iit = p.idleInTransaction;
  if (iit.count > 0 && iit.maxSeconds >= t.idleInTransactionSeconds) {
    const noTimeout = p.idleInTransactionTimeoutSeconds === 0 || p.idleInTransactionTimeoutSeconds === null;
    out.push({
      rule: `${rule}/idle-in-transaction`,
      severity: iit.maxSeconds >= 300 ? 'critical' : 'warning',
      title: `${iit.count} session${iit.count === 1 ? '' : 's'} idle in transaction, the oldest for ${iit.maxSeconds} s`,
      target: { kind: 'connection', name: 'idle in transaction' },
      evidence: { count: iit.count, maxSeconds: iit.maxSeconds, worst: iit.worst.map((w) => ({ pid: w.pid, application: w.application, seconds: w.seconds, lastQuery: w.query })), idleInTransactionSessionTimeoutSeconds: p.idleInTransactionTimeoutSeconds },
      impact: { score: iit.maxSeconds, summary: 'holds locks and a connection, and stops VACUUM from removing dead rows newer than its snapshot' },
      description:
        'A transaction left open by the application (a missing commit, work done between statements, an exception path) pins a pooled connection and its locks. With a pooler in transaction mode it also pins a server connection.',
      ...(noTimeout
        ? {
            fix: {
              kind: 'config' as const,
              content: "ALTER SYSTEM SET idle_in_transaction_session_timeout = '60s';\nSELECT pg_reload_conf();",
              rollback: 'ALTER SYSTEM RESET idle_in_transaction_session_timeout;\nSELECT pg_reload_conf();',
              safety: 'review' as const,
              verified: false,
              verification: `${NOT_MEASURABLE}; sessions idle in a transaction for more than 60 s are terminated, so check the application first`,
            },
          }
        : {}),
    });
  }
  const sl = p.shortLived;
  if (sl.count >= t.shortLivedMin && sl.share >= t.shortLivedShare) {
    out.push({
      rule: `${rule}/short-lived-connections`,
      severity: 'warning',
      title: `${sl.count} of ${p.clients - 1} client connections are younger than ${sl.thresholdSeconds} s: connections are opened per request (no pooling)`,
      target: { kind: 'connection', name: 'backend_start' },
      evidence: { youngConnections: sl.count, share: Math.round(sl.share * 1000) / 1000, thresholdSeconds: sl.thresholdSeconds, byApplication: p.byApplication.slice(0, 5).map((g) => ({ application: g.name, total: g.total })) },
      impact: { score: sl.count * 10, summary: 'each new connection forks a backend and authenticates (several ms, more with TLS/SCRAM) before its first query' },
      description: 'Most client backends were started moments ago, which is what a client that connects per request (or a serverless function) looks like. A pool in the application, or PgBouncer in front, reuses connections.',
      nextSteps: ['db-optimize pgbouncer --clients N: a drop-in pgbouncer.ini for per-request clients'],
    });
  }
  return out;
}

/**
 * The peak seen while watching pg_stat_activity (pool --watch), when the snapshot alone did not
 * already report the connection count: same rule and thresholds as profileFindings.
 */
export function watchFindings(w: ConnectionSamples, p: ConnectionProfile, already: readonly Finding[], t: ProfileThresholds = DEFAULT_THRESHOLDS, rule = 'connection-pool'): Finding[] {
  const id = `${rule}/near-max-connections`;
  const usage = w.peakClients / Math.max(1, p.available);
  if (usage < t.usageWarn || already.some((f) => f.rule === id)) return [];
  return [
    {
      rule: id,
      severity: usage >= USAGE_CRITICAL ? 'critical' : 'warning',
      title: `Connections peaked at ${w.peakClients} of ${p.available} usable during ${w.seconds} s`,
      target: { kind: 'connection', name: 'max_connections' },
      evidence: { peakClients: w.peakClients, available: p.available, seconds: w.seconds, samples: w.samples },
      impact: { score: usage * 100, summary: `${p.available - w.peakClients} connections left at the peak` },
    },
  ];
}

/** Findings of the fleet sizing: the three seed symptoms with numbers, server settings and app pool code. */
export function planFindings(plan: PoolPlan, app: AppPoolSettings, rule = 'pool-sizing'): Finding[] {
  const r = plan.recommended;
  const out: Finding[] = [];
  if (plan.current !== null) {
    const exceeds = plan.currentExceeds === true;
    out.push({
      rule: `${rule}/fleet-vs-server`,
      severity: exceeds ? 'critical' : 'info',
      title:
        plan.serverAvailable === null
          ? `The fleet can open ${plan.current.peak} connections at its peak`
          : `The fleet can open ${plan.current.peak} connections at its peak; the server accepts ${plan.serverAvailable}`,
      target: { kind: 'connection', name: 'fleet' },
      evidence: {
        instances: plan.current.steady / Math.max(1, plan.current.poolSize),
        peakInstances: plan.peakInstances,
        poolSize: plan.current.poolSize,
        maxOverflow: plan.current.maxOverflow,
        fleetSteady: plan.current.steady,
        fleetPeak: plan.current.peak,
        serverAvailable: plan.serverAvailable,
      },
      impact: { score: exceeds ? 1000 : 0, summary: exceeds ? `${plan.current.peak - (plan.serverAvailable ?? 0)} connection attempts fail at the peak` : 'fits' },
      description: plan.symptoms.map((s) => `${s.symptom}: ${s.cause}.`).join(' '),
    });
  }
  const fix = [
    `ALTER SYSTEM SET max_connections = '${r.maxConnections}';  -- restart`,
    ...(r.idleSessionTimeoutSeconds === null ? [] : [`ALTER SYSTEM SET idle_session_timeout = '${r.idleSessionTimeoutSeconds}s';  -- reload`]),
    `ALTER SYSTEM SET idle_in_transaction_session_timeout = '${r.idleInTransactionTimeoutSeconds}s';  -- reload`,
    'SELECT pg_reload_conf();',
  ].join('\n');
  out.push({
    rule: `${rule}/server`,
    severity: plan.currentExceeds === true ? 'warning' : 'info',
    title: `max_connections ${r.maxConnections} for a fleet peak of ${r.peak}; ${plan.coreBudget} can work at once`,
    target: { kind: 'setting', setting: 'max_connections' },
    evidence: { coreBudget: plan.coreBudget, coreBudgetFormula: plan.coreBudgetFormula, fleetPeak: r.peak, maxConnections: r.maxConnections, formula: r.maxConnectionsFormula, capacityQps: plan.capacityQps },
    impact: { score: 10, summary: plan.reasoning[0] ?? '' },
    description: plan.reasoning.join('; '),
    fix: { kind: 'config', content: fix, rollback: 'ALTER SYSTEM RESET max_connections;\nALTER SYSTEM RESET idle_session_timeout;\nALTER SYSTEM RESET idle_in_transaction_session_timeout;\nSELECT pg_reload_conf();', safety: 'review', verified: false, verification: NOT_MEASURABLE },
  });
  out.push({
    rule: `${rule}/application`,
    severity: plan.currentExceeds === true ? 'warning' : 'info',
    title: `Per instance: pool ${r.poolSize} + overflow ${r.maxOverflow}, idle timeout ${r.idleTimeoutSeconds} s, max lifetime ${r.maxLifetimeSeconds} s`,
    target: { kind: 'code', name: 'application pool' },
    evidence: { poolSize: r.poolSize, maxOverflow: r.maxOverflow, minIdle: r.minIdle, idleTimeoutSeconds: r.idleTimeoutSeconds, maxLifetimeSeconds: r.maxLifetimeSeconds, acquireTimeoutSeconds: r.acquireTimeoutSeconds, fleetSteady: r.steady, fleetPeak: r.peak },
    impact: { score: 10, summary: plan.symptoms.map((s) => s.fix).join('; ') },
    description: plan.symptoms.map((s) => `${s.symptom} → ${s.fix}`).join('. '),
    fix: {
      kind: 'code',
      language: 'python',
      content: `# SQLAlchemy\n${app.snippets.sqlalchemy}\n\n// node-postgres\n${app.snippets.nodePostgres}\n\n# Prisma: append to DATABASE_URL\n${app.snippets.prisma}`,
      safety: 'safe',
      verified: false,
      verification: NOT_MEASURABLE,
    },
  });
  return out;
}
