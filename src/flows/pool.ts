import { collectSnapshot } from '../collect/collect-snapshot.ts';
import { humanSize } from '../config/units.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { wrapProseSections } from '../format/wrap-section-lines.ts';
import type { Finding, Report, ReportSection, Snapshot } from '../model/index.ts';
import { appPoolSettings } from '../pool/app-pool-settings.ts';
import type { AppPoolSettings } from '../pool/app-pool-settings.ts';
import { connectionProfile, IDLE_BACKEND_BYTES } from '../pool/connection-profile.ts';
import { planFindings, profileFindings, watchFindings } from '../pool/pool-findings.ts';
import { planLines, profileLines, watchLines } from '../pool/pool-sections.ts';
import { sampleConnections } from '../pool/sample-connections.ts';
import type { ConnectionSamples } from '../pool/sample-connections.ts';
import { sizePool } from '../pool/size-pool.ts';
import type { PoolPlan } from '../pool/size-pool.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, numberOption, wantsLiveServer } from './flow-input.ts';
import { HARDWARE_OPTIONS, hardwareOptions } from './hardware-options.ts';
import { NEWEST_PG_MAJOR, pgVersionOption, TUNED_RANGE } from './pg-version.ts';

export const POOL_OPTIONS = {
    'app-instances': { type: 'string', valueName: 'N', description: 'application instances (pods, processes) each with its own pool' },
    'max-instances': { type: 'string', valueName: 'N', description: 'instances at the autoscaling / rolling-deploy peak (default +surge %)' },
    'surge-percent': { type: 'string', valueName: 'P', description: 'extra instances during a rolling deploy (default 25)' },
    'pool-size': { type: 'string', valueName: 'N', description: 'current pool size per instance' },
    'max-overflow': { type: 'string', valueName: 'N', description: 'current overflow / burst connections per instance (default 0)' },
    ...HARDWARE_OPTIONS,
    spindles: { type: 'string', valueName: 'N', description: 'effective spindle count (default from --storage: hdd 2, else 1)' },
    'avg-query-ms': { type: 'string', valueName: 'MS', description: 'average query time, for throughput capacity' },
    'peak-qps': { type: 'string', valueName: 'N', description: 'queries per second at the peak (Little\'s law sizing)' },
    'max-connections': { type: 'string', valueName: 'N', description: 'the server\'s max_connections when there is no --db' },
    'pg-version': { type: 'string', valueName: 'MAJOR', description: 'PostgreSQL major version when there is no --db' },
    watch: { type: 'string', valueName: 'SECONDS', description: 'sample pg_stat_activity every second for SECONDS: peak connections and connect rate' },
    'short-lived-seconds': { type: 'string', valueName: 'S', description: 'connections younger than this count as per-request (default 5)' },
  } as const;

/** Connection analysis (pg_stat_activity) and pool sizing for an application fleet. */
async function runPool(input: FlowInput): Promise<Report> {
    const instances = numberOption(input, 'app-instances', { min: 1, max: 100_000, integer: true });
    const hw = hardwareOptions(input);
    const poolSize = numberOption(input, 'pool-size', { min: 1, max: 10_000, integer: true });
    const maxOverflow = numberOption(input, 'max-overflow', { min: 0, max: 10_000, integer: true });
    const maxInstances = numberOption(input, 'max-instances', { min: 1, max: 100_000, integer: true });
    const surge = numberOption(input, 'surge-percent', { min: 0, max: 1000 }) ?? 25;
    const spindles = numberOption(input, 'spindles', { min: 0, max: 10_000, integer: true });
    const avgQueryMs = numberOption(input, 'avg-query-ms', { min: 0.001, max: 3_600_000 });
    const peakQps = numberOption(input, 'peak-qps', { min: 0 });
    const maxConnFlag = numberOption(input, 'max-connections', { min: 1, max: 262_143, integer: true });
    const shortLivedSeconds = numberOption(input, 'short-lived-seconds', { min: 0.1 }) ?? 5;
    const pgVersion = pgVersionOption(input, TUNED_RANGE);
    const watch = numberOption(input, 'watch', { min: 1, max: 3600, integer: true });
    const live = wantsLiveServer(input);
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
      const db = await connect(input);
      try {
        input.logger.info(`connected to ${db.display} (read-only session)`);
        snapshot = await collectSnapshot(db);
        display = db.display;
        if (watch !== undefined) {
          input.logger.info(`sampling pg_stat_activity for ${watch} s…`);
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
      sections.push({ id: 'pool-watch', title: `Peaks over ${watched.seconds} s (${watched.samples} samples)`, lines: watchLines(watched, profile) });
      findings.push(...watchFindings(watched, profile, findings));
    }

    let plan: PoolPlan | null = null;
    let app: AppPoolSettings | null = null;
    if (instances !== undefined && hw.cpus !== null) {
      const serverMax = snapshot?.connections?.maxConnections ?? maxConnFlag ?? null;
      if (snapshot?.connections !== undefined && snapshot.connections !== null && maxConnFlag !== undefined && maxConnFlag !== snapshot.connections.maxConnections) {
        input.logger.warn(`--max-connections ${maxConnFlag} ignored: the server's max_connections is ${snapshot.connections.maxConnections}`);
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
        notes.push(`${plan.recommended.maxConnections} backends × ~5 MB idle = ${humanSize(plan.recommended.maxConnections * IDLE_BACKEND_BYTES)} of ${humanSize(hw.ramBytes)} RAM at worst (before work_mem; see db-optimize config)`);
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
      sections: wrapProseSections(sections),
      extra: { pool: { profile, watch: watched, plan, appSettings: app === null ? null : { sqlalchemy: app.sqlalchemy, nodePostgres: app.nodePostgres, prisma: app.prisma }, notes } },
    });
    return report;
}

export const poolFlow = defineFlow({ name: 'pool', common: ['connection', 'report'], options: POOL_OPTIONS, run: runPool });

export type PoolOptions = LibraryOptions<typeof POOL_OPTIONS>;

export function pool(options: PoolOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(poolFlow, options, context);
}
