import type { WorkloadType } from './hardware.ts';

/**
 * How many work_mem-sized allocations one query of this workload may hold at once (sort and
 * hash nodes; hash nodes may take hash_mem_multiplier × work_mem). Used by the memory check.
 */
export const NODE_FACTOR: Readonly<Record<WorkloadType, number>> = { web: 2, oltp: 2, mixed: 3, dw: 4, desktop: 2 };

/** pgtune's default connection counts, kept to show what we deliberately do not copy. */
export const PGTUNE_CONNECTIONS: Readonly<Record<WorkloadType, number>> = { web: 200, oltp: 300, dw: 40, mixed: 100, desktop: 20 };

/** Upper bound on work_mem per workload: short queries gain nothing from more and multiply the risk. */
export const WORK_MEM_CAP_MB: Readonly<Record<WorkloadType, number>> = { web: 64, oltp: 64, mixed: 256, dw: 1024, desktop: 64 };

/** min_wal_size / max_wal_size in MB: pgtune's table, raised for write-heavy types (its known weak spot). */
export const WAL_SIZES_MB: Readonly<Record<WorkloadType, { readonly min: number; readonly max: number; readonly pgtuneMax: number }>> = {
  web: { min: 1024, max: 4096, pgtuneMax: 4096 },
  oltp: { min: 4096, max: 16384, pgtuneMax: 8192 },
  dw: { min: 4096, max: 16384, pgtuneMax: 16384 },
  mixed: { min: 2048, max: 8192, pgtuneMax: 4096 },
  desktop: { min: 100, max: 2048, pgtuneMax: 2048 },
};
