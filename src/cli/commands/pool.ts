import { collectSnapshot } from '../../collect/collect-snapshot.ts';
import { parseStorage, validateHardware } from '../../config/hardware.ts';
import { humanSize, parseSizeFlag } from '../../config/units.ts';
import { DbOptimizeError } from '../../errors/index.ts';
import type { Finding, ReportSection, Snapshot } from '../../model/index.ts';
import { appPoolSettings } from '../../pool/app-pool-settings.ts';
import type { AppPoolSettings } from '../../pool/app-pool-settings.ts';
import { connectionProfile } from '../../pool/connection-profile.ts';
import type { ConnectionProfile } from '../../pool/connection-profile.ts';
import { planFindings, profileFindings } from '../../pool/pool-findings.ts';
import { sampleConnections } from '../../pool/sample-connections.ts';
import type { ConnectionSamples } from '../../pool/sample-connections.ts';
import { sizePool } from '../../pool/size-pool.ts';
import type { PoolPlan } from '../../pool/size-pool.ts';
import { buildReport, databaseInfo } from '../../render/build-report.ts';
import { helpText, wrapSectionLines } from '../wrap-section-lines.ts';
import type { Command } from '../command.ts';
import { connect, emitReport, numberOption, option } from '../context-helpers.ts';
import { NEWEST_PG_MAJOR, pgVersionOption, wantsLiveServer } from './config.ts';

function profileLines(p: ConnectionProfile): string[] {
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

function planLines(plan: PoolPlan, app: AppPoolSettings): { sizing: string[]; symptoms: string[]; app: string[] } {
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

export const poolCommand: Command = {
  name: 'pool',
  summary: 'connection analysis (pg_stat_activity) and pool sizing for an application fleet',
  usage: 'pool [--db URL] [--app-instances N --cpus N] [--pool-size N] [--max-overflow N] [--avg-query-ms MS] [--max-connections N]',
  help: helpText([
    'With --db (or DATABASE_URL): connections by state, application and client address, idle and idle-in-transaction',
    'time, usage against max_connections, memory held by idle backends, per-request (short-lived) connections.',
    'With the fleet (--app-instances, --cpus, optionally the current --pool-size/--max-overflow): what each side can open,',
    'whether the peak exceeds max_connections, and the recommended max_connections, pool size, min idle, idle timeout and',
    'max lifetime per instance, with SQLAlchemy, node-postgres and Prisma settings from the same budget.',
    '',
    'Example (seed "Pool Sizing"):',
    '  db-optimize pool --pg-version 14 --cpus 8 --ram 32GB --app-instances 10 --pool-size 20 --max-overflow 10 --avg-query-ms 5 --max-connections 100',
  ]),
  common: ['connection', 'report'],
  options: {
    'app-instances': { type: 'string', valueName: 'N', description: 'application instances (pods, processes) each with its own pool' },
    'max-instances': { type: 'string', valueName: 'N', description: 'instances at the autoscaling / rolling-deploy peak (default +surge %)' },
    'surge-percent': { type: 'string', valueName: 'P', description: 'extra instances during a rolling deploy (default 25)' },
    'pool-size': { type: 'string', valueName: 'N', description: 'current pool size per instance' },
    'max-overflow': { type: 'string', valueName: 'N', description: 'current overflow / burst connections per instance (default 0)' },
    cpus: { type: 'string', valueName: 'N', description: 'CPU cores of the database server' },
    ram: { type: 'string', valueName: 'SIZE', description: 'RAM of the database server, e.g. 32GB' },
    storage: { type: 'string', valueName: 'TYPE', description: 'ssd | hdd | nvme | san (effective spindles: hdd 2, else 1)' },
    spindles: { type: 'string', valueName: 'N', description: 'effective spindle count, overriding --storage' },
    'avg-query-ms': { type: 'string', valueName: 'MS', description: 'average query time, for throughput capacity' },
    'peak-qps': { type: 'string', valueName: 'N', description: 'queries per second at the peak (Little\'s law sizing)' },
    'max-connections': { type: 'string', valueName: 'N', description: 'the server\'s max_connections when there is no --db' },
    'pg-version': { type: 'string', valueName: 'MAJOR', description: 'PostgreSQL major version when there is no --db' },
    watch: { type: 'string', valueName: 'SECONDS', description: 'sample pg_stat_activity every second for SECONDS: peak connections and connect rate' },
    'short-lived-seconds': { type: 'string', valueName: 'S', description: 'connections younger than this count as per-request (default 5)' },
  },
  async run(ctx) {
    const instances = numberOption(ctx, 'app-instances', { min: 1, max: 100_000, integer: true });
    const cpus = numberOption(ctx, 'cpus', { integer: true });
    const ramRaw = option(ctx, 'ram');
    const hw = validateHardware({ ramBytes: ramRaw === undefined ? null : parseSizeFlag(ramRaw, 'ram'), cpus: cpus ?? null, storage: parseStorage(option(ctx, 'storage')) });
    const poolSize = numberOption(ctx, 'pool-size', { min: 1, max: 10_000, integer: true });
    const maxOverflow = numberOption(ctx, 'max-overflow', { min: 0, max: 10_000, integer: true });
    const maxInstances = numberOption(ctx, 'max-instances', { min: 1, max: 100_000, integer: true });
    const surge = numberOption(ctx, 'surge-percent', { min: 0, max: 1000 }) ?? 25;
    const spindles = numberOption(ctx, 'spindles', { min: 0, max: 10_000, integer: true });
    const avgQueryMs = numberOption(ctx, 'avg-query-ms', { min: 0.001, max: 3_600_000 });
    const peakQps = numberOption(ctx, 'peak-qps', { min: 0 });
    const maxConnFlag = numberOption(ctx, 'max-connections', { min: 1, max: 262_143, integer: true });
    const shortLivedSeconds = numberOption(ctx, 'short-lived-seconds', { min: 0.1 }) ?? 5;
    const pgVersion = pgVersionOption(ctx);
    const watch = numberOption(ctx, 'watch', { min: 1, max: 3600, integer: true });
    const live = wantsLiveServer(ctx);
    if (watch !== undefined && !live) throw new DbOptimizeError('E_USAGE', 'usage', '--watch samples a live server: give it with --db URL');
    if (!live && instances === undefined) {
      throw new DbOptimizeError('E_USAGE', 'usage', 'pool needs a live server (--db URL) or the fleet (--app-instances N --cpus N)', {
        hint: 'e.g. db-optimize pool --app-instances 10 --pool-size 20 --cpus 8 --max-connections 100',
      });
    }
    if (instances !== undefined && hw.cpus === null) {
      throw new DbOptimizeError('E_USAGE', 'usage', 'pool sizing needs the database server\'s --cpus (connections that can work at once ≈ cores × 2 + spindles)');
    }
    if (peakQps !== undefined && avgQueryMs === undefined) {
      throw new DbOptimizeError('E_USAGE', 'usage', '--peak-qps needs --avg-query-ms (busy connections = queries/s × seconds per query)');
    }

    let snapshot: Snapshot | null = null;
    let display: string | undefined;
    let watched: ConnectionSamples | null = null;
    if (live) {
      const db = await connect(ctx);
      try {
        ctx.logger.info(`connected to ${db.display} (read-only session)`);
        snapshot = await collectSnapshot(db);
        display = db.display;
        if (watch !== undefined) {
          ctx.logger.info(`sampling pg_stat_activity for ${watch} s…`);
          watched = await sampleConnections(db, watch);
        }
      } finally {
        await db.close();
      }
    }
    const profile = snapshot === null ? null : connectionProfile(snapshot, { shortLivedSeconds });
    const findings: Finding[] = profile === null ? [] : profileFindings(profile);
    const sections: ReportSection[] = [];
    const notes: string[] = [];
    if (snapshot !== null && profile === null) notes.push('pg_stat_activity could not be read: connection analysis skipped');
    if (profile !== null) sections.push({ id: 'pool-connections', title: 'Connections now (pg_stat_activity)', lines: profileLines(profile) });
    if (watched !== null && profile !== null) {
      const w = watched;
      sections.push({
        id: 'pool-watch',
        title: `Peaks over ${w.seconds} s (${w.samples} samples)`,
        lines: [
          `client connections: peak ${w.peakClients} of ${profile.available} usable (${Math.round((w.peakClients / Math.max(1, profile.available)) * 100)} %)`,
          `active: peak ${w.peakActive}; idle: peak ${w.peakIdle}; idle in transaction: peak ${w.peakIdleInTransaction}`,
          `new connections: ${w.newConnections} (${w.newConnectionsPerSecond}/s)${w.newConnectionsPerSecond >= 1 ? ' — clients connect per request: pool them or put PgBouncer in front' : ''}`,
        ],
      });
      if (w.peakClients / Math.max(1, profile.available) >= 0.8 && !findings.some((f) => f.rule === 'connection-pool/near-max-connections')) {
        findings.push({
          rule: 'connection-pool/near-max-connections',
          severity: w.peakClients >= profile.available * 0.95 ? 'critical' : 'warning',
          title: `Connections peaked at ${w.peakClients} of ${profile.available} usable during ${w.seconds} s`,
          target: { kind: 'connection', name: 'max_connections' },
          evidence: { peakClients: w.peakClients, available: profile.available, seconds: w.seconds, samples: w.samples },
          impact: { score: (w.peakClients / Math.max(1, profile.available)) * 100, summary: `${profile.available - w.peakClients} connections left at the peak` },
        });
      }
    }

    let plan: PoolPlan | null = null;
    let app: AppPoolSettings | null = null;
    if (instances !== undefined && hw.cpus !== null) {
      const serverMax = snapshot?.connections?.maxConnections ?? maxConnFlag ?? null;
      if (snapshot?.connections !== undefined && snapshot.connections !== null && maxConnFlag !== undefined && maxConnFlag !== snapshot.connections.maxConnections) {
        ctx.logger.warn(`--max-connections ${maxConnFlag} ignored: the server's max_connections is ${snapshot.connections.maxConnections}`);
      }
      plan = sizePool({
        appInstances: instances,
        maxInstances: maxInstances ?? null,
        surgePercent: surge,
        poolSize: poolSize ?? null,
        maxOverflow: maxOverflow ?? (poolSize === undefined ? null : 0),
        cpus: hw.cpus,
        ramBytes: hw.ramBytes,
        storage: hw.storage,
        spindles: spindles ?? null,
        avgQueryMs: avgQueryMs ?? null,
        peakQps: peakQps ?? null,
        serverMaxConnections: serverMax,
        superuserReserved: snapshot?.connections?.superuserReserved ?? 3,
        pgMajor: snapshot?.server.major ?? pgVersion ?? NEWEST_PG_MAJOR,
        observedIdle: profile?.idle.count ?? null,
      });
      app = appPoolSettings(plan);
      findings.push(...planFindings(plan, app));
      const lines = planLines(plan, app);
      sections.push({ id: 'pool-sizing', title: 'Fleet vs server', lines: lines.sizing });
      sections.push({ id: 'pool-symptoms', title: 'Symptoms and what causes them', lines: lines.symptoms });
      sections.push({ id: 'pool-app-settings', title: 'Application pool settings (per instance)', lines: lines.app });
      if (hw.ramBytes !== null) {
        const perBackend = 5 * 1024 * 1024;
        notes.push(`${plan.recommended.maxConnections} backends × ~5 MB idle = ${humanSize(plan.recommended.maxConnections * perBackend)} of ${humanSize(hw.ramBytes)} RAM at worst (before work_mem; see db-optimize config)`);
      }
      if (avgQueryMs === undefined) notes.push('pass --avg-query-ms to see the throughput the recommended pools can carry');
    } else if (profile !== null) {
      notes.push(`pass --app-instances N --cpus N (and the current --pool-size/--max-overflow) to size the pools; ${profile.byClientAddress.length} distinct client addresses are connected now`);
    }
    if (notes.length > 0) sections.push({ id: 'pool-notes', title: 'Notes', lines: notes.map((n) => `- ${n}`) });

    const report = buildReport({
      command: 'pool',
      generatedAt: new Date().toISOString(),
      database: snapshot === null ? { source: 'fleet flags (no live server)' } : databaseInfo(snapshot, display),
      findings,
      sections: sections.map((x) => ({ ...x, lines: x.id.endsWith('app-settings') || x.id.endsWith('-ini') || x.id.endsWith('-snippet') ? x.lines : wrapSectionLines(x.lines) })),
      extra: { pool: { profile, watch: watched, plan, appSettings: app === null ? null : { sqlalchemy: app.sqlalchemy, nodePostgres: app.nodePostgres, prisma: app.prisma }, notes } },
    });
    return emitReport(ctx, report);
  },
};
