import { collectSnapshot } from '../../collect/collect-snapshot.ts';
import { Database } from '../../collect/connection.ts';
import { applySettings } from '../../config/apply-settings.ts';
import type { AppliedSetting } from '../../config/apply-settings.ts';
import { auditSettings } from '../../config/audit-settings.ts';
import { configFindings } from '../../config/config-findings.ts';
import { parseStorage, parseWorkloadType, validateHardware } from '../../config/hardware.ts';
import { recommendConfig } from '../../config/recommend-config.ts';
import { alterSystemStatements, changedSettings, configTableLines, needsRestart, postgresqlConfSnippet, undoStatements } from '../../config/render-config.ts';
import { humanSize, parseSizeFlag } from '../../config/units.ts';
import { DbOptimizeError } from '../../errors/index.ts';
import type { ReportSection, Snapshot } from '../../model/index.ts';
import { buildReport, databaseInfo } from '../../render/build-report.ts';
import { helpText, wrapSectionLines } from '../../format/wrap-section-lines.ts';
import type { Command, CommandContext } from '../command.ts';
import { connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';

export const NEWEST_PG_MAJOR = 18;
export const OLDEST_PG_MAJOR = 12;

export function pgVersionOption(ctx: CommandContext): number | null {
  const raw = option(ctx, 'pg-version');
  if (raw === undefined) return null;
  const m = /^(\d+)(?:\.\d+)?$/.exec(raw.trim());
  const major = m === null ? NaN : Number(m[1]);
  if (!Number.isInteger(major) || major < OLDEST_PG_MAJOR || major > NEWEST_PG_MAJOR) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--pg-version must be a PostgreSQL major version between ${OLDEST_PG_MAJOR} and ${NEWEST_PG_MAJOR}, got "${raw}"`);
  }
  return major;
}

/** A live server is used only when one is named (--db or DATABASE_URL): flags alone plan offline. */
export function wantsLiveServer(ctx: CommandContext): boolean {
  return option(ctx, 'db') !== undefined || (ctx.io.env.DATABASE_URL ?? '') !== '';
}

/** What the live server's statistics say about the workload, to check --workload against. */
function observedShape(s: Snapshot): string {
  let reads = 0;
  let writes = 0;
  for (const t of s.tables) {
    const a = t.activity;
    if (a === null) continue;
    reads += a.seqTupRead + a.idxTupFetch;
    writes += a.nTupIns + a.nTupUpd + a.nTupDel;
  }
  const c = s.connections;
  const share = reads + writes === 0 ? null : Math.round((writes / (reads + writes)) * 1000) / 10;
  return (
    `observed on the server: ${share === null ? 'no table activity yet' : `${share} % of row operations are writes`}` +
    (c === null ? '' : `, ${c.total} of ${c.maxConnections} connections in use (${c.byState.active ?? 0} active)`) +
    (s.database === null ? '' : `, database ${humanSize(s.database.sizeBytes)}`)
  );
}

export const configCommand: Command = {
  name: 'config',
  summary: 'tune postgresql.conf for the machine and workload (pgtune formulas, corrected, with a memory check)',
  usage: 'config [--db URL] [--ram 32GB] [--cpus 8] [--storage ssd|hdd|nvme|san] [--workload web|oltp|dw|mixed|desktop] [--max-connections N] [--pg-version 16] [--apply]',
  help: helpText([
    'Recommends shared_buffers, effective_cache_size, work_mem, maintenance_work_mem, WAL, checkpoint, planner,',
    'parallelism, autovacuum, huge_pages, jit and (18+) io_method settings, each with its formula and reason,',
    'and checks that shared_buffers + sessions × work_mem × nodes + autovacuum workers × maintenance_work_mem fits in RAM.',
    'With --db (or DATABASE_URL) it reads pg_settings, the table activity and checkpoints of the live server (read-only)',
    'and shows current → recommended; without RAM/CPU figures it only audits what needs none.',
    'Output: the table of changes, a postgresql.conf snippet and ALTER SYSTEM statements marked reload or restart.',
    '--apply runs the ALTER SYSTEM statements on the live server (a separate read-write session) and pg_reload_conf();',
    'it never restarts the server and prints the statements that undo the change.',
    '',
    'Examples:',
    '  db-optimize config --ram 32GB --cpus 8 --storage ssd --workload oltp --pg-version 16',
    '  db-optimize config --db postgresql://localhost/app --ram 64GB --cpus 16 --storage nvme',
  ]),
  common: ['connection', 'report'],
  options: {
    ram: { type: 'string', valueName: 'SIZE', description: 'RAM of the database machine, e.g. 32GB (a bare number is GB)' },
    cpus: { type: 'string', valueName: 'N', description: 'CPU cores (vCPUs) of the database machine' },
    storage: { type: 'string', valueName: 'TYPE', description: 'ssd | hdd | nvme | san' },
    workload: { type: 'string', valueName: 'TYPE', description: 'web | oltp | dw | mixed | desktop (default mixed)' },
    'max-connections': { type: 'string', valueName: 'N', description: 'plan for this many connections instead of our recommendation' },
    'pg-version': { type: 'string', valueName: 'MAJOR', description: 'PostgreSQL major version when there is no live server (default 18)' },
    'large-table-rows': { type: 'string', valueName: 'N', description: 'tables with at least this many rows get per-table autovacuum advice (default 1000000)' },
    apply: { type: 'boolean', description: 'run the ALTER SYSTEM statements on the live server and reload (never restarts)' },
  },
  async run(ctx) {
    const ramRaw = option(ctx, 'ram');
    const hardware = validateHardware({
      ramBytes: ramRaw === undefined ? null : parseSizeFlag(ramRaw, 'ram'),
      cpus: numberOption(ctx, 'cpus', { integer: true }) ?? null,
      storage: parseStorage(option(ctx, 'storage')),
    });
    const workloadFlag = parseWorkloadType(option(ctx, 'workload'));
    const maxConnections = numberOption(ctx, 'max-connections', { min: 5, max: 262_143, integer: true }) ?? null;
    const pgVersion = pgVersionOption(ctx);
    const largeTableRows = numberOption(ctx, 'large-table-rows', { min: 1, integer: true });
    const apply = flag(ctx, 'apply');
    const live = wantsLiveServer(ctx);
    if (!live && hardware.ramBytes === null && hardware.cpus === null) {
      throw new DbOptimizeError('E_USAGE', 'usage', 'config needs a live server (--db URL) or the machine (--ram SIZE --cpus N)', {
        hint: 'e.g. db-optimize config --ram 32GB --cpus 8 --storage ssd --workload oltp',
      });
    }
    if (apply && !live) {
      throw new DbOptimizeError('E_USAGE', 'usage', '--apply changes a live server: give it with --db URL', {
        hint: 'without --apply the command only prints the statements',
      });
    }

    let snapshot: Snapshot | null = null;
    let display: string | undefined;
    if (live) {
      const db = await connect(ctx);
      try {
        ctx.logger.info(`connected to ${db.display} (read-only session)`);
        snapshot = await collectSnapshot(db);
        display = db.display;
      } finally {
        await db.close();
      }
    }
    const liveMajor = snapshot?.server.major ?? null;
    if (liveMajor !== null && pgVersion !== null && liveMajor !== pgVersion) {
      ctx.logger.warn(`--pg-version ${pgVersion} ignored: the server runs PostgreSQL ${liveMajor}`);
    }
    const pgMajor = liveMajor ?? pgVersion ?? NEWEST_PG_MAJOR;
    const plan = recommendConfig({
      hardware,
      workload: workloadFlag ?? 'mixed',
      workloadSource: workloadFlag === null ? 'default' : 'flag',
      pgMajor,
      maxConnections,
      settings: snapshot?.settings ?? [],
      tables: snapshot?.tables ?? [],
      checkpoints: snapshot?.checkpoints ?? null,
      connectionsInUse: snapshot?.connections?.total ?? null,
      ...(largeTableRows === undefined ? {} : { largeTableRows }),
    });
    const notes = [...plan.notes];
    if (snapshot !== null) notes.push(observedShape(snapshot));
    if (liveMajor === null && pgVersion === null) notes.push(`PostgreSQL version unknown: planning for ${NEWEST_PG_MAJOR} (pass --pg-version)`);
    const audits = snapshot === null ? [] : auditSettings({ settings: snapshot.settings, workload: workloadFlag, checkpoints: snapshot.checkpoints });

    let applied: AppliedSetting[] | null = null;
    if (apply) {
      const rw = await Database.connect({ url: option(ctx, 'db'), env: ctx.io.env, readWrite: true, maxConnections: 1 });
      try {
        ctx.logger.warn(`--apply: running ALTER SYSTEM on ${rw.display}`);
        applied = await applySettings(rw, plan);
      } finally {
        await rw.close();
      }
    }

    const changes = changedSettings(plan);
    const sections: ReportSection[] = [
      { id: 'config-changes', title: snapshot === null ? 'Recommended settings' : 'Current → recommended (only what changes)', lines: configTableLines(plan) },
    ];
    if (plan.memory !== null) {
      const m = plan.memory;
      sections.push({
        id: 'config-memory',
        title: `Memory check (${m.fits ? 'fits' : 'does NOT fit'} in ${humanSize(m.ramBytes)})`,
        lines: [
          `shared_buffers                      ${humanSize(m.sharedBuffersBytes)}`,
          `wal_buffers                         ${humanSize(m.walBuffersBytes)}`,
          `sessions × work_mem × nodes         ${m.connections} + ${m.parallelWorkers} parallel × ${humanSize(m.workMemBytes)} × ${m.nodeFactor} = ${humanSize((m.connections + m.parallelWorkers) * m.workMemBytes * m.nodeFactor)}`,
          `autovacuum workers × memory         ${m.autovacuumWorkers} × ${humanSize(m.autovacuumMemBytes)} = ${humanSize(m.autovacuumWorkers * m.autovacuumMemBytes)}`,
          `total worst case                    ${humanSize(m.totalBytes)} of ${humanSize(m.ramBytes - m.osReserveBytes)} (RAM − ${humanSize(m.osReserveBytes)} OS reserve)`,
          ...(m.workMemBeforeBytes === null ? [] : [m.explanation]),
        ],
      });
    }
    if (changes.length > 0) {
      sections.push({ id: 'config-snippet', title: 'postgresql.conf snippet', lines: postgresqlConfSnippet(plan).trimEnd().split('\n') });
      sections.push({
        id: 'config-alter-system',
        title: 'ALTER SYSTEM statements',
        lines: [...alterSystemStatements(plan), needsRestart(plan) ? '-- then restart PostgreSQL (settings marked restart)' : 'SELECT pg_reload_conf();'],
      });
      if (snapshot !== null) sections.push({ id: 'config-undo', title: 'Undo', lines: [...undoStatements(plan), 'SELECT pg_reload_conf();'] });
    }
    if (plan.tables.length > 0) sections.push({ id: 'config-tables', title: 'Autovacuum for large hot tables', lines: plan.tables.map((t) => t.statement) });
    if (applied !== null) {
      sections.push({
        id: 'config-applied',
        title: 'Applied with ALTER SYSTEM (undo statements above)',
        lines:
          applied.length === 0
            ? ['nothing to apply']
            : applied.map((a) => `${a.name} = ${a.value}${a.pendingRestart ? '  (written; live after a restart)' : `  (live now: ${a.liveValue})`}`),
      });
    }
    if (notes.length > 0) sections.push({ id: 'config-notes', title: 'Notes', lines: notes.map((n) => `- ${n}`) });

    const report = buildReport({
      command: 'config',
      generatedAt: new Date().toISOString(),
      database: snapshot === null ? { source: 'hardware flags (no live server)' } : databaseInfo(snapshot, display),
      findings: configFindings(plan, audits),
      sections: sections.map((x) => ({ ...x, lines: x.id.endsWith('app-settings') || x.id.endsWith('-ini') || x.id.endsWith('-snippet') ? x.lines : wrapSectionLines(x.lines) })),
      extra: {
        config: {
          hardware: { ramBytes: hardware.ramBytes, cpus: hardware.cpus, storage: hardware.storage },
          workload: plan.workload,
          pgMajor: plan.pgMajor,
          recommendations: plan.recommendations,
          memoryCheck: plan.memory,
          tables: plan.tables,
          postgresqlConf: postgresqlConfSnippet(plan),
          alterSystem: alterSystemStatements(plan),
          undo: snapshot === null ? [] : undoStatements(plan),
          restartRequired: needsRestart(plan),
          notes,
          applied,
        },
      },
    });
    return emitReport(ctx, report);
  },
};
