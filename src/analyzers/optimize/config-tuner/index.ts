import { auditSettings } from '../../../config/audit-settings.ts';
import { configFindings } from '../../../config/config-findings.ts';
import { parseStorage, parseWorkloadType, validateHardware } from '../../../config/hardware.ts';
import { hotTables, recommendConfig } from '../../../config/recommend-config.ts';
import { BYTES } from '../../../config/units.ts';
import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';

export const configTuner = defineAnalyzer({
  id: 'config-tuner',
  phase: 'optimize',
  title: 'Configuration tuner',
  description:
    'Audits pg_settings (pending restarts, work_mem × connections, jit for OLTP, autovacuum, forced checkpoints) and, when the machine is described, recommends memory, WAL, planner and parallelism settings with a total-memory check.',
  depth: 4,
  requires: {},
  options: {
    ramGb: { default: 0, description: 'RAM of the database machine in GB (0: unknown — memory settings are then not recommended)' },
    cpus: { default: 0, description: 'CPU cores of the database machine (0: unknown)' },
    storage: { default: '', description: 'ssd | hdd | nvme | san (empty: unknown)' },
    workload: { default: '', description: 'web | oltp | dw | mixed | desktop (empty: unknown; jit advice needs it)' },
    largeTableRows: { default: 1_000_000, description: 'tables with at least this many rows get per-table autovacuum advice' },
  },
  run({ snapshot, options }) {
    const workload = parseWorkloadType(options.workload === '' ? undefined : options.workload, 'set config-tuner.workload');
    const audits = auditSettings({ settings: snapshot.settings, workload, checkpoints: snapshot.checkpoints });
    const hardware = validateHardware({
      ramBytes: options.ramGb > 0 ? Math.round(options.ramGb * BYTES.GB) : null,
      cpus: options.cpus > 0 ? options.cpus : null,
      storage: parseStorage(options.storage === '' ? undefined : options.storage, 'set config-tuner.storage'),
    });
    if (hardware.ramBytes === null && hardware.cpus === null) {
      const unknown: Finding = {
        rule: 'config-tuner/hardware-unknown',
        severity: 'info',
        title: 'RAM and CPU count unknown: only settings that need no hardware facts were audited',
        target: { kind: 'database', name: snapshot.server.database },
        evidence: { audited: audits.length, sharedBuffers: snapshot.settings.find((s) => s.name === 'shared_buffers')?.setting ?? null },
        impact: { score: 0, summary: 'memory, parallelism and WAL sizing need the machine: nothing was guessed' },
        description: 'PostgreSQL cannot report the RAM or cores of its machine. Pass them to get sized recommendations.',
        nextSteps: ['db-optimize config --db URL --ram 32GB --cpus 8 --storage ssd --workload oltp', 'or in full: --set config-tuner.ramGb=32 --set config-tuner.cpus=8'],
      };
      return [...configFindings({ hardware, workload: workload ?? 'mixed', pgMajor: snapshot.server.major, recommendations: [], memory: null, tables: hotTables(snapshot.tables, options.largeTableRows), notes: [] }, audits), unknown];
    }
    const plan = recommendConfig({
      hardware,
      workload: workload ?? 'mixed',
      workloadSource: workload === null ? 'default' : 'flag',
      pgMajor: snapshot.server.major,
      maxConnections: null,
      settings: snapshot.settings,
      tables: snapshot.tables,
      checkpoints: snapshot.checkpoints,
      connectionsInUse: snapshot.connections?.total ?? null,
      largeTableRows: options.largeTableRows,
    });
    return configFindings(plan, audits);
  },
});
