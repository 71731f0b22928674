import { DbOptimizeError } from '../errors/index.ts';
import { BYTES, humanSize } from './units.ts';

export const STORAGE_TYPES = ['ssd', 'hdd', 'nvme', 'san'] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

export const WORKLOAD_TYPES = ['web', 'oltp', 'dw', 'mixed', 'desktop'] as const;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];

/** What we know about the machine; unknown parts stay null and are never guessed. */
export interface Hardware {
  readonly ramBytes: number | null;
  readonly cpus: number | null;
  readonly storage: StorageType | null;
}

export const MIN_RAM_BYTES = 256 * BYTES.MB;
export const MAX_RAM_BYTES = 64 * BYTES.TB;
export const MAX_CPUS = 4096;

/** Rejects figures no PostgreSQL server has, with the reason. */
export function validateHardware(h: Hardware): Hardware {
  if (h.ramBytes !== null && (h.ramBytes < MIN_RAM_BYTES || h.ramBytes > MAX_RAM_BYTES)) {
    throw new DbOptimizeError(
      'E_BAD_HARDWARE',
      'usage',
      `--ram ${humanSize(h.ramBytes)} is not a plausible database server (expected between ${humanSize(MIN_RAM_BYTES)} and ${humanSize(MAX_RAM_BYTES)})`,
      { hint: 'give the RAM of the machine (or the container memory limit) PostgreSQL runs on, e.g. --ram 32GB' },
    );
  }
  if (h.cpus !== null && (!Number.isInteger(h.cpus) || h.cpus < 1 || h.cpus > MAX_CPUS)) {
    throw new DbOptimizeError('E_BAD_HARDWARE', 'usage', `--cpus must be a whole number between 1 and ${MAX_CPUS}, got ${h.cpus}`);
  }
  return h;
}

export function parseStorage(raw: string | undefined, flagName = 'storage'): StorageType | null {
  if (raw === undefined) return null;
  const v = raw.toLowerCase();
  if (!(STORAGE_TYPES as readonly string[]).includes(v)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --${flagName} "${raw}" (use ${STORAGE_TYPES.join(', ')})`);
  }
  return v as StorageType;
}

export function parseWorkloadType(raw: string | undefined, flagName = 'workload'): WorkloadType | null {
  if (raw === undefined) return null;
  const v = raw.toLowerCase();
  if (!(WORKLOAD_TYPES as readonly string[]).includes(v)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --${flagName} type "${raw}" (use ${WORKLOAD_TYPES.join(', ')})`, {
      hint: 'web: many short requests; oltp: short read/write transactions; dw: few large analytical queries; mixed: both; desktop: a developer machine',
    });
  }
  return v as WorkloadType;
}
