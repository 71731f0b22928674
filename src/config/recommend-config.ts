import { maxWalTargetBytes } from './max-wal-target.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { StorageType, WorkloadType } from './hardware.ts';
import { BYTES, humanSize, niceBytes, settingBytes } from './units.ts';
import { NODE_FACTOR, PGTUNE_CONNECTIONS, WAL_SIZES_MB, WORK_MEM_CAP_MB } from './workload-factors.ts';
import type { ConfigPlan, MemoryCheck, SettingRecommendation, TunerInput } from './config-plan.ts';
import { hotTables } from './hot-tables.ts';
import { toRecommendation } from './setting-recommendation.ts';
import type { Draft } from './setting-recommendation.ts';

export type { ConfigPlan, MemoryCheck, SettingRecommendation, TableAutovacuum, TunerInput } from './config-plan.ts';
export { hotTables } from './hot-tables.ts';

const { MB, GB } = BYTES;

function roundUp(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

/** The connection count a server with this many cores should plan for, with a pooler in front. */
export function connectionBudget(cpus: number, workload: WorkloadType): number {
  if (workload === 'desktop') return 20;
  if (workload === 'dw') return roundUp(Math.max(40, cpus * 2 + 10), 10);
  return roundUp(Math.max(100, 4 * (cpus * 2 + 1)), 10);
}

/**
 * pgtune's formulas per workload type, corrected where they are known to mislead (max_wal_size
 * for write-heavy servers, parallel workers for OLTP, work_mem that ignores concurrency and
 * per-query node count), followed by a total-memory check that lowers work_mem when needed.
 * Pure: recommendations only, nothing is applied here.
 */
export function recommendConfig(input: TunerInput): ConfigPlan {
  const { hardware, workload, pgMajor } = input;
  const live = new Map(input.settings.map((s) => [s.name, s]));
  const notes: string[] = [];
  const drafts: Draft[] = [];
  const ram = hardware.ramBytes;
  const cpus = hardware.cpus;
  const currentBytes = (name: string): number | null => {
    const s = live.get(name);
    return s === undefined ? null : settingBytes(s.setting, s.unit);
  };

  if (ram !== null) {
    const sb = currentBytes('shared_buffers');
    if (sb !== null && sb > ram * 0.9) {
      throw new DbOptimizeError(
        'E_RAM_TOO_SMALL',
        'input',
        `--ram ${humanSize(ram)} is below what the server's current settings need: shared_buffers alone is ${humanSize(sb)}`,
        { hint: 'give the RAM of the machine PostgreSQL runs on (not of the client), or check shared_buffers' },
      );
    }
  }
  if (input.workloadSource === 'default') {
    notes.push('workload type not given: planning for "mixed" (pass --workload web|oltp|dw|mixed|desktop to be precise)');
  }

  // ---- connections first: work_mem depends on them
  const liveMax = live.get('max_connections');
  let maxConnections: number;
  if (input.maxConnections !== null) {
    maxConnections = input.maxConnections;
    drafts.push({
      name: 'max_connections',
      value: { text: String(maxConnections) },
      reason: `as given with --max-connections${cpus !== null && maxConnections > connectionBudget(cpus, workload) ? `; above the ${connectionBudget(cpus, workload)} a ${cpus}-core server needs with a pooler in front (see db-optimize pool / pgbouncer)` : ''}`,
      formula: '--max-connections',
    });
  } else if (cpus !== null) {
    const inUse = input.connectionsInUse ?? 0;
    // never below what clients use now: lowering max_connections before a pooler is in place refuses them
    const budget = Math.max(connectionBudget(cpus, workload), Math.ceil((inUse * 1.25) / 10) * 10);
    const current = liveMax === undefined ? null : Number(liveMax.setting);
    if (inUse > connectionBudget(cpus, workload)) {
      notes.push(`${inUse} connections are open now, more than the ${connectionBudget(cpus, workload)} a ${cpus}-core server needs: put a pooler in front first (db-optimize pgbouncer), then lower max_connections`);
    }
    if (current !== null && current <= budget) {
      maxConnections = current;
    } else {
      maxConnections = budget;
      drafts.push({
        name: 'max_connections',
        value: { text: String(budget) },
        reason:
          `only about ${cpus * 2 + 1} queries can make progress at once on ${cpus} cores; every extra backend costs memory and snapshot work. ` +
          `Put a pooler (PgBouncer, transaction mode) in front instead of raising this` +
          (workload === 'web' || workload === 'oltp' ? ` (pgtune would say ${PGTUNE_CONNECTIONS[workload]})` : ''),
        formula: workload === 'dw' ? 'max(40, cpus × 2 + 10), rounded up to 10' : 'max(100, 4 × (cpus × 2 + 1)), rounded up to 10',
      });
    }
  } else {
    maxConnections = liveMax === undefined ? PGTUNE_CONNECTIONS[workload] : Number(liveMax.setting);
    notes.push(`CPU count unknown: max_connections left at ${maxConnections} (pass --cpus to size it)`);
  }

  // ---- parallelism (needs CPUs)
  let perGather = 2;
  let parallelWorkers = 8;
  let maxWorkerProcesses = 8;
  if (cpus !== null) {
    maxWorkerProcesses = Math.max(8, cpus);
    parallelWorkers = cpus;
    perGather =
      cpus < 2
        ? 0
        : workload === 'dw'
          ? Math.min(8, Math.ceil(cpus / 2))
          : workload === 'mixed'
            ? Math.min(4, Math.ceil(cpus / 4))
            : Math.min(2, Math.floor(cpus / 4));
    const maintenance = cpus < 2 ? 0 : Math.min(4, Math.ceil(cpus / 2));
    drafts.push(
      {
        name: 'max_worker_processes',
        value: { text: String(maxWorkerProcesses) },
        reason: 'room for one parallel worker per core plus background workers of extensions and logical replication (pgtune sets exactly cpus and leaves none)',
        formula: 'max(8, cpus)',
      },
      {
        name: 'max_parallel_workers',
        value: { text: String(parallelWorkers) },
        reason: 'parallel workers across all queries never exceed the cores',
        formula: 'cpus',
      },
      {
        name: 'max_parallel_workers_per_gather',
        value: { text: String(perGather) },
        reason:
          workload === 'dw'
            ? 'analytical scans split across half the cores'
            : workload === 'mixed'
              ? 'a few workers for the reporting part, without letting one query take the machine'
              : 'short queries finish before parallel workers start; more workers per query only steal cores from concurrent requests (pgtune gives ceil(cpus/2), too many for OLTP)',
        formula: workload === 'dw' ? 'min(8, ceil(cpus / 2))' : workload === 'mixed' ? 'min(4, ceil(cpus / 4))' : 'min(2, floor(cpus / 4))',
      },
      {
        name: 'max_parallel_maintenance_workers',
        value: { text: String(maintenance) },
        reason: 'CREATE INDEX and VACUUM can use several cores during maintenance',
        formula: 'min(4, ceil(cpus / 2))',
      },
    );
  }

  // ---- memory (needs RAM)
  let memory: MemoryCheck | null = null;
  if (ram !== null) {
    const sb = niceBytes(workload === 'desktop' ? ram / 16 : ram / 4);
    drafts.push({
      name: 'shared_buffers',
      value: { bytes: sb },
      reason: 'PostgreSQL also relies on the OS page cache; beyond about 25–40 % of RAM more shared_buffers rarely helps and double-caches',
      formula: workload === 'desktop' ? 'RAM / 16' : 'RAM / 4',
    });
    drafts.push({
      name: 'effective_cache_size',
      value: { bytes: niceBytes(workload === 'desktop' ? ram / 4 : (ram * 3) / 4) },
      reason: 'planner hint (allocates nothing): how much of the data shared_buffers plus the OS cache can hold',
      formula: workload === 'desktop' ? 'RAM / 4' : 'RAM × 3 / 4',
    });
    const mwm = niceBytes(Math.min(workload === 'dw' ? ram / 8 : ram / 16, 2 * GB));
    drafts.push({
      name: 'maintenance_work_mem',
      value: { bytes: mwm },
      reason: 'faster VACUUM, CREATE INDEX and foreign key checks; each autovacuum worker may take this much too',
      formula: workload === 'dw' ? 'min(RAM / 8, 2GB)' : 'min(RAM / 16, 2GB)',
    });
    let walBuffers = Math.max(64 * 1024, Math.floor((sb * 3) / 100));
    if (walBuffers > 14 * MB) walBuffers = 16 * MB;
    walBuffers = Math.floor(walBuffers / 1024) * 1024;
    drafts.push({
      name: 'wal_buffers',
      value: { bytes: walBuffers },
      reason: 'one WAL segment is enough to absorb bursts of concurrent commits',
      formula: 'min(16MB, shared_buffers × 3 %)',
    });

    // work_mem: pgtune's start, then capped and checked against the RAM
    const pgtuneBase = (ram - sb) / ((maxConnections + maxWorkerProcesses) * 3) / Math.max(1, perGather);
    const start = workload === 'dw' || workload === 'mixed' ? pgtuneBase / 2 : workload === 'desktop' ? pgtuneBase / 6 : pgtuneBase;
    const cap = WORK_MEM_CAP_MB[workload] * MB;
    let workMem = Math.max(64 * 1024, Math.min(start, cap));
    const avWorkers = cpus === null ? 3 : Math.max(3, Math.min(8, Math.floor(cpus / 4)));
    // before 17, autovacuum cannot use more than 1GB for dead tuple ids whatever the setting
    const avMem = pgMajor >= 17 ? mwm : Math.min(mwm, GB);
    const nodeFactor = NODE_FACTOR[workload];
    const osReserve = Math.max(256 * MB, ram * 0.1);
    const sessions = maxConnections + parallelWorkers;
    const total = (wm: number): number => sb + walBuffers + sessions * wm * nodeFactor + avWorkers * avMem;
    let before: number | null = null;
    const limit = ram - osReserve;
    if (total(workMem) > limit) {
      before = workMem;
      workMem = Math.floor((limit - sb - walBuffers - avWorkers * avMem) / (sessions * nodeFactor) / 1024) * 1024;
      if (workMem < 64 * 1024) {
        throw new DbOptimizeError(
          'E_RAM_TOO_SMALL',
          'input',
          `${humanSize(ram)} of RAM cannot hold shared_buffers ${humanSize(sb)}, ${avWorkers} autovacuum workers × ${humanSize(avMem)} and ${sessions} sessions even at the minimum work_mem`,
          { hint: `lower --max-connections (put a pooler in front) or check --ram` },
        );
      }
    }
    workMem = workMem >= 8 * MB ? Math.floor(workMem / MB) * MB : Math.floor(workMem / 1024) * 1024;
    const fits = total(workMem) <= limit;
    const explanation =
      before === null
        ? `shared_buffers ${humanSize(sb)} + ${sessions} sessions × work_mem ${humanSize(workMem)} × ${nodeFactor} nodes + ${avWorkers} autovacuum workers × ${humanSize(avMem)} = ${humanSize(total(workMem))}, within ${humanSize(limit)} (RAM minus ${humanSize(osReserve)} for the OS)`
        : `work_mem lowered from ${humanSize(before)} to ${humanSize(workMem)}: with ${sessions} sessions each running up to ${nodeFactor} sort/hash nodes, the larger value could need ${humanSize(total(before))}, more than the ${humanSize(limit)} available (RAM minus ${humanSize(osReserve)} for the OS) — raise work_mem per role or per session for the few queries that need it`;
    if (before !== null) notes.push(explanation);
    if (workMem < 4 * MB) {
      notes.push(`work_mem ${humanSize(workMem)} is below PostgreSQL's 4MB default because ${sessions} sessions must share ${humanSize(ram)}: fewer connections behind a pooler would let each sort in memory`);
    }
    memory = {
      ramBytes: ram,
      osReserveBytes: Math.round(osReserve),
      sharedBuffersBytes: sb,
      walBuffersBytes: walBuffers,
      connections: maxConnections,
      parallelWorkers,
      nodeFactor,
      workMemBytes: workMem,
      autovacuumWorkers: avWorkers,
      autovacuumMemBytes: avMem,
      totalBytes: Math.round(total(workMem)),
      fits,
      workMemBeforeBytes: before === null ? null : Math.round(before),
      explanation,
    };
    drafts.push({
      name: 'work_mem',
      value: { bytes: workMem },
      reason:
        `per sort/hash node, per session: sized so ${sessions} sessions × ${nodeFactor} nodes still fit next to shared_buffers and autovacuum` +
        (before === null ? '' : ' (lowered by the memory check)'),
      formula: `min(${WORK_MEM_CAP_MB[workload]}MB, (RAM − shared_buffers) / ((max_connections + max_worker_processes) × 3) / max(1, parallel_per_gather)${workload === 'dw' || workload === 'mixed' ? ' / 2' : workload === 'desktop' ? ' / 6' : ''}), then lowered until shared_buffers + sessions × work_mem × ${nodeFactor} + autovacuum workers × maintenance_work_mem ≤ RAM − OS reserve`,
    });
    if (cpus !== null && avWorkers !== 3) {
      drafts.push({
        name: 'autovacuum_max_workers',
        value: { text: String(avWorkers) },
        reason: 'more tables can be vacuumed at once on a machine with many cores',
        formula: 'clamp(floor(cpus / 4), 3, 8)',
      });
    }
    if (sb >= 2 * GB) {
      const pages = Math.ceil((sb * 1.05) / (2 * MB));
      drafts.push({
        name: 'huge_pages',
        value: { text: 'try' },
        reason: `with ${humanSize(sb)} of shared_buffers, 2MB pages cut page-table memory and TLB misses; reserve them in the OS: vm.nr_hugepages ≈ ${pages}${pgMajor >= 15 ? ' (exact: postgres -C shared_memory_size_in_huge_pages)' : ''}. "try" still starts when none are reserved`,
        formula: 'try when shared_buffers ≥ 2GB; vm.nr_hugepages = shared memory / 2MB',
      });
    }
  } else {
    notes.push('RAM unknown: memory settings (shared_buffers, work_mem, maintenance_work_mem, effective_cache_size) are not recommended — pass --ram; nothing is guessed');
  }

  // ---- WAL and checkpoints
  const wal = WAL_SIZES_MB[workload];
  let maxWal = wal.max * MB;
  let walReason = `room for checkpoint_timeout worth of WAL so checkpoints are timed, not forced by WAL volume${wal.max !== wal.pgtuneMax ? ` (pgtune's ${humanSize(wal.pgtuneMax * MB)} is too small for write-heavy servers)` : ''}; needs that much free disk for pg_wal`;
  let walFormula = `${workload} default`;
  const cp = input.checkpoints;
  const curMaxWal = currentBytes('max_wal_size');
  if (cp !== null && cp.timed + cp.requested >= 10 && cp.requested / (cp.timed + cp.requested) > 0.2 && curMaxWal !== null) {
    const evidenceBased = maxWalTargetBytes(curMaxWal);
    if (evidenceBased > maxWal) {
      maxWal = evidenceBased;
      walFormula = 'current max_wal_size × 2, at least 2 GB (requested checkpoints > 20 %)';
    }
    walReason = `${cp.requested} of ${cp.timed + cp.requested} checkpoints were forced by WAL volume, not by checkpoint_timeout: ${walReason}`;
  }
  drafts.push(
    { name: 'min_wal_size', value: { bytes: wal.min * MB }, reason: 'keeps WAL segments recycled instead of recreated after bursts', formula: `${workload} default` },
    { name: 'max_wal_size', value: { bytes: maxWal }, reason: walReason, formula: walFormula },
    {
      name: 'checkpoint_completion_target',
      value: { text: '0.9' },
      reason: 'spreads checkpoint writes over 90 % of the interval instead of a burst (the default since 14)',
      formula: '0.9',
    },
  );

  // ---- storage
  if (hardware.storage !== null) {
    const st: StorageType = hardware.storage;
    drafts.push({
      name: 'random_page_cost',
      value: { text: st === 'hdd' ? '4' : '1.1' },
      reason: st === 'hdd' ? 'spinning disks: random reads really are ~4× sequential' : `${st}: random reads cost about as much as sequential ones, so index scans should not be penalised`,
      formula: 'hdd 4, otherwise 1.1',
    });
    const io = { hdd: 2, ssd: 200, nvme: 256, san: 300 }[st];
    drafts.push({
      name: 'effective_io_concurrency',
      value: { text: String(io) },
      reason: `how many concurrent reads ${st} storage can serve for bitmap heap scans${pgMajor >= 18 ? ' and asynchronous reads' : ''}`,
      formula: 'hdd 2, ssd 200, nvme 256, san 300',
    });
    if (st !== 'hdd') {
      drafts.push({
        name: 'autovacuum_vacuum_cost_limit',
        value: { text: '2000' },
        reason: 'the default throttle (200) was set for spinning disks; on fast storage autovacuum falls behind on large hot tables',
        formula: '2000 on ssd/nvme/san',
      });
    }
  } else {
    notes.push('storage type unknown: random_page_cost and effective_io_concurrency are not recommended (pass --storage ssd|hdd|nvme|san)');
  }

  // ---- planner / JIT / statistics
  if (workload === 'web' || workload === 'oltp') {
    drafts.push({
      name: 'jit',
      value: { text: 'off' },
      reason: 'JIT compilation costs tens of milliseconds and triggers on cost estimates, not run time: short OLTP queries with a misestimated plan pay it for nothing',
      formula: 'off for web/oltp',
    });
  }
  if (workload === 'dw') {
    drafts.push({ name: 'default_statistics_target', value: { text: '500' }, reason: 'more histogram buckets for the skewed columns analytical queries filter on', formula: 'dw: 500' });
  }

  // ---- asynchronous I/O (18+)
  if (pgMajor >= 18) {
    drafts.push({
      name: 'io_method',
      value: { text: 'worker' },
      reason: 'asynchronous reads through I/O worker processes work on every platform; io_uring is faster on Linux only when PostgreSQL was built with liburing, and sync gives up the 18 read-ahead gains',
      formula: 'worker',
    });
    if (cpus !== null) {
      drafts.push({
        name: 'io_workers',
        value: { text: String(Math.max(3, Math.min(32, Math.ceil(cpus / 4)))) },
        reason: 'enough I/O workers to keep the storage queue busy without competing with query backends',
        formula: 'clamp(ceil(cpus / 4), 3, 32)',
      });
    }
  }

  const recommendations = drafts
    .filter((d) => supported(d.name, pgMajor))
    .map((d): SettingRecommendation => toRecommendation(d, live.get(d.name), pgMajor));
  return {
    hardware,
    workload,
    pgMajor,
    recommendations,
    memory,
    tables: hotTables(input.tables, input.largeTableRows, input.hotTableChurn),
    notes,
  };
}

function supported(name: string, pgMajor: number): boolean {
  if (name === 'io_method' || name === 'io_workers') return pgMajor >= 18;
  return true;
}
