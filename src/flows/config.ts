import { collectSnapshot } from '../collect/collect-snapshot.ts';
import { Database } from '../collect/connection.ts';
import { applySettings } from '../config/apply-settings.ts';
import type { AppliedSetting } from '../config/apply-settings.ts';
import { auditSettings } from '../config/audit-settings.ts';
import { configFindings } from '../config/config-findings.ts';
import { configSections } from '../config/config-sections.ts';
import { parseWorkloadType } from '../config/hardware.ts';
import { observedShape } from '../config/observed-shape.ts';
import { recommendConfig } from '../config/recommend-config.ts';
import { alterSystemStatements, needsRestart, postgresqlConfSnippet, undoStatements } from '../config/render-config.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { wrapProseSections } from '../format/wrap-section-lines.ts';
import type { Report, Snapshot } from '../model/index.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, flag, numberOption, option, wantsLiveServer } from './flow-input.ts';
import { HARDWARE_OPTIONS, hardwareOptions } from './hardware-options.ts';
import { NEWEST_PG_MAJOR, pgVersionOption, TUNED_RANGE } from './pg-version.ts';

export const CONFIG_OPTIONS = {
    ...HARDWARE_OPTIONS,
    workload: { type: 'string', valueName: 'TYPE', description: 'web | oltp | dw | mixed | desktop (default mixed)' },
    'max-connections': { type: 'string', valueName: 'N', description: 'plan for this many connections instead of our recommendation' },
    'pg-version': { type: 'string', valueName: 'MAJOR', description: 'PostgreSQL major version when there is no live server (default 18)' },
    'large-table-rows': { type: 'string', valueName: 'N', description: 'tables with at least this many rows get per-table autovacuum advice (default 1000000)' },
    apply: { type: 'boolean', description: 'run the ALTER SYSTEM statements on the live server and reload (never restarts)' },
  } as const;

/** postgresql.conf for the machine and workload, checked against the live server when there is one. */
async function runConfig(input: FlowInput): Promise<Report> {
    const hardware = hardwareOptions(input);
    const workloadFlag = parseWorkloadType(option(input, 'workload'));
    const maxConnections = numberOption(input, 'max-connections', { min: 5, max: 262_143, integer: true }) ?? null;
    const pgVersion = pgVersionOption(input, TUNED_RANGE);
    const largeTableRows = numberOption(input, 'large-table-rows', { min: 1, integer: true });
    const apply = flag(input, 'apply');
    const live = wantsLiveServer(input);
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
      const db = await connect(input);
      try {
        input.logger.info(`connected to ${db.display} (read-only session)`);
        snapshot = await collectSnapshot(db);
        display = db.display;
      } finally {
        await db.close();
      }
    }
    const liveMajor = snapshot?.server.major ?? null;
    if (liveMajor !== null && pgVersion !== null && liveMajor !== pgVersion) {
      input.logger.warn(`--pg-version ${pgVersion} ignored: the server runs PostgreSQL ${liveMajor}`);
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
      const rw = await Database.connect({ url: option(input, 'db'), env: input.env, readWrite: true, maxConnections: 1 });
      try {
        input.logger.warn(`--apply: running ALTER SYSTEM on ${rw.display}`);
        applied = await applySettings(rw, plan);
      } finally {
        await rw.close();
      }
    }

    const sections = configSections(plan, snapshot !== null, applied, notes);

    const report = buildReport({
      command: 'config',
      generatedAt: new Date().toISOString(),
      database: snapshot === null ? { source: 'hardware flags (no live server)' } : databaseInfo(snapshot, display),
      findings: configFindings(plan, audits),
      sections: wrapProseSections(sections),
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
    return report;
}

export const configFlow = defineFlow({ name: 'config', common: ['connection', 'report'], options: CONFIG_OPTIONS, run: runConfig });

export type ConfigOptions = LibraryOptions<typeof CONFIG_OPTIONS>;

export function config(options: ConfigOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(configFlow, options, context);
}
