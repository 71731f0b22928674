import type { Backend, Snapshot } from '../model/index.ts';

/** Private memory an idle backend typically holds (catalog, relation and plan caches): an estimate, not a measurement. */
export const IDLE_BACKEND_BYTES = 5 * 1024 * 1024;

export interface GroupCount {
  readonly name: string;
  readonly total: number;
  readonly active: number;
  readonly idle: number;
  readonly idleInTransaction: number;
}

export interface ConnectionProfile {
  readonly maxConnections: number;
  readonly superuserReserved: number;
  readonly reserved: number;
  /** connections ordinary roles can open */
  readonly available: number;
  /** client backends, our own session included */
  readonly clients: number;
  readonly usage: number;
  readonly byState: Readonly<Record<string, number>>;
  readonly byApplication: readonly GroupCount[];
  readonly byClientAddress: readonly GroupCount[];
  readonly idle: { readonly count: number; readonly maxSeconds: number; readonly medianSeconds: number; readonly over10Minutes: number };
  readonly idleInTransaction: {
    readonly count: number;
    readonly maxSeconds: number;
    readonly worst: readonly { readonly pid: number; readonly application: string; readonly seconds: number; readonly query: string | null }[];
  };
  readonly idleMemoryBytes: number;
  /** client backends younger than shortLivedSeconds */
  readonly shortLived: { readonly count: number; readonly share: number; readonly thresholdSeconds: number };
  readonly otherBackends: Readonly<Record<string, number>>;
  readonly idleSessionTimeoutSeconds: number | null;
  readonly idleInTransactionTimeoutSeconds: number | null;
}

function group(backends: readonly Backend[], key: (b: Backend) => string): GroupCount[] {
  const m = new Map<string, { total: number; active: number; idle: number; idleInTransaction: number }>();
  for (const b of backends) {
    const k = key(b);
    const g = m.get(k) ?? { total: 0, active: 0, idle: 0, idleInTransaction: 0 };
    g.total++;
    if (b.state === 'active') g.active++;
    else if (b.state === 'idle') g.idle++;
    else if (b.state?.startsWith('idle in transaction') === true) g.idleInTransaction++;
    m.set(k, g);
  }
  return [...m.entries()].map(([name, g]) => ({ name, ...g })).sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

function seconds(snapshot: Snapshot, name: string): number | null {
  const s = snapshot.settings.find((x) => x.name === name);
  if (s === undefined) return null;
  const n = Number(s.setting);
  if (!Number.isFinite(n)) return null;
  return s.unit === 'ms' ? n / 1000 : s.unit === 'min' ? n * 60 : n;
}

/**
 * What pg_stat_activity says about connection handling, from one snapshot (pure: "now" is the
 * snapshot's collection time). `database` limits the client backends to one database.
 */
export function connectionProfile(snapshot: Snapshot, options: { shortLivedSeconds?: number; database?: string } = {}): ConnectionProfile | null {
  const c = snapshot.connections;
  if (c === null) return null;
  const now = new Date(snapshot.collectedAt).getTime();
  const shortLivedSeconds = options.shortLivedSeconds ?? 5;
  const all = c.backends.filter((b) => b.backendType === 'client backend');
  const clients = options.database === undefined ? all : all.filter((b) => b.database === options.database);
  const idle = clients.filter((b) => b.state === 'idle');
  const idleAges = idle.map((b) => b.stateAgeSeconds ?? 0).sort((a, b) => a - b);
  const iit = clients.filter((b) => b.state?.startsWith('idle in transaction') === true);
  const young = clients.filter((b) => b.backendStart !== null && (now - new Date(b.backendStart).getTime()) / 1000 < shortLivedSeconds);
  const others: Record<string, number> = {};
  for (const b of c.backends) if (b.backendType !== 'client backend') others[b.backendType] = (others[b.backendType] ?? 0) + 1;
  const available = c.maxConnections - c.superuserReserved - c.reserved;
  const total = all.length + 1;
  const byState: Record<string, number> = {};
  for (const b of clients) byState[b.state ?? 'unknown'] = (byState[b.state ?? 'unknown'] ?? 0) + 1;
  return {
    maxConnections: c.maxConnections,
    superuserReserved: c.superuserReserved,
    reserved: c.reserved,
    available,
    clients: total,
    usage: total / Math.max(1, available),
    byState,
    byApplication: group(clients, (b) => b.applicationName || '(none)'),
    byClientAddress: group(clients, (b) => b.clientAddr ?? 'local socket'),
    idle: {
      count: idle.length,
      maxSeconds: Math.round(idleAges[idleAges.length - 1] ?? 0),
      medianSeconds: Math.round(idleAges[Math.floor(idleAges.length / 2)] ?? 0),
      over10Minutes: idleAges.filter((a) => a > 600).length,
    },
    idleInTransaction: {
      count: iit.length,
      maxSeconds: Math.round(Math.max(0, ...iit.map((b) => b.stateAgeSeconds ?? 0))),
      worst: iit
        .map((b) => ({ pid: b.pid, application: b.applicationName || '(none)', seconds: Math.round(b.stateAgeSeconds ?? 0), query: b.query }))
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 5),
    },
    idleMemoryBytes: idle.length * IDLE_BACKEND_BYTES,
    shortLived: { count: young.length, share: clients.length === 0 ? 0 : young.length / clients.length, thresholdSeconds: shortLivedSeconds },
    otherBackends: others,
    idleSessionTimeoutSeconds: seconds(snapshot, 'idle_session_timeout'),
    idleInTransactionTimeoutSeconds: seconds(snapshot, 'idle_in_transaction_session_timeout'),
  };
}
