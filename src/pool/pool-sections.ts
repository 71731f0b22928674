import { humanSize } from '../config/units.ts';
import type { AppPoolSettings } from './app-pool-settings.ts';
import type { ConnectionProfile } from './connection-profile.ts';
import type { ConnectionSamples } from './sample-connections.ts';
import type { PoolPlan } from './size-pool.ts';

export function profileLines(p: ConnectionProfile): string[] {
  const states = Object.entries(p.byState)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `connections: ${p.clients} of ${p.available} usable (max_connections ${p.maxConnections} − ${p.superuserReserved} superuser-reserved${p.reserved > 0 ? ` − ${p.reserved} reserved` : ''}); ${Math.round(p.usage * 100)} % — one snapshot, the peak is at least this`,
    `by state: ${states || 'none'}`,
    `idle: ${p.idle.count} (median ${p.idle.medianSeconds} s, max ${p.idle.maxSeconds} s, ${p.idle.over10Minutes} over 10 min) ≈ ${humanSize(p.idleMemoryBytes)} of backend memory`,
    `idle in transaction: ${p.idleInTransaction.count}${p.idleInTransaction.count > 0 ? ` (oldest ${p.idleInTransaction.maxSeconds} s)` : ''}`,
    `younger than ${p.shortLived.thresholdSeconds} s: ${p.shortLived.count} (${Math.round(p.shortLived.share * 100)} %)`,
    'by application:',
    ...p.byApplication.slice(0, 8).map((g) => `  ${g.name.padEnd(28)} ${String(g.total).padStart(4)} (active ${g.active}, idle ${g.idle}, idle in tx ${g.idleInTransaction})`),
    'by client address:',
    ...p.byClientAddress.slice(0, 8).map((g) => `  ${g.name.padEnd(28)} ${String(g.total).padStart(4)} (active ${g.active}, idle ${g.idle})`),
  ];
}

export function planLines(plan: PoolPlan, app: AppPoolSettings): { sizing: string[]; symptoms: string[]; app: string[] } {
  const r = plan.recommended;
  const sizing = [
    ...(plan.current === null
      ? []
      : [
          `now: ${plan.current.poolSize} + ${plan.current.maxOverflow} overflow per instance → ${plan.current.steady} steady, ${plan.current.peak} at the peak${plan.serverAvailable === null ? '' : ` vs ${plan.serverAvailable} the server accepts${plan.currentExceeds === true ? '  ✗ EXCEEDS' : '  ✓ fits'}`}`,
        ]),
    `recommended per instance: pool ${r.poolSize}, max overflow ${r.maxOverflow}, min idle ${r.minIdle}, idle timeout ${r.idleTimeoutSeconds} s, max lifetime ${r.maxLifetimeSeconds} s, acquire timeout ${r.acquireTimeoutSeconds} s`,
    `fleet: ${r.steady} steady, ${r.peak} at the peak (${plan.peakInstances} instances)`,
    `server: max_connections ${r.maxConnections}${r.idleSessionTimeoutSeconds === null ? '' : `, idle_session_timeout ${r.idleSessionTimeoutSeconds} s`}, idle_in_transaction_session_timeout ${r.idleInTransactionTimeoutSeconds} s`,
    `with PgBouncer (transaction mode): default_pool_size ${plan.withPgbouncer.defaultPoolSize} + reserve ${plan.withPgbouncer.reservePoolSize} server connections, app pools of ${plan.withPgbouncer.appPoolSize} against PgBouncer, max_client_conn ${plan.withPgbouncer.maxClientConn}`,
    'why:',
    ...plan.reasoning.map((x) => `  - ${x}`),
  ];
  const symptoms = plan.symptoms.flatMap((s) => [`${s.symptom}`, `  cause: ${s.cause}`, `  fix:   ${s.fix}`]);
  return {
    sizing,
    symptoms,
    app: ['# SQLAlchemy', ...app.snippets.sqlalchemy.split('\n'), '', '// node-postgres', ...app.snippets.nodePostgres.split('\n'), '', '# Prisma: append to DATABASE_URL', app.snippets.prisma],
  };
}

export function watchLines(w: ConnectionSamples, p: ConnectionProfile): string[] {
  return [
    `client connections: peak ${w.peakClients} of ${p.available} usable (${Math.round((w.peakClients / Math.max(1, p.available)) * 100)} %)`,
    `active: peak ${w.peakActive}; idle: peak ${w.peakIdle}; idle in transaction: peak ${w.peakIdleInTransaction}`,
    `new connections: ${w.newConnections} (${w.newConnectionsPerSecond}/s)${w.newConnectionsPerSecond >= 1 ? ' — clients connect per request: pool them or put PgBouncer in front' : ''}`,
  ];
}
