import type { Checkpoints, Setting, Table } from '../model/index.ts';
import type { Hardware, WorkloadType } from './hardware.ts';
import type { ApplyMode } from './setting-context.ts';

export interface TunerInput {
  readonly hardware: Hardware;
  readonly workload: WorkloadType;
  /** where the workload type came from, for the notes */
  readonly workloadSource: 'flag' | 'default';
  /** major version: from the live server, else --pg-version, else the newest we know */
  readonly pgMajor: number;
  /** --max-connections: the connection count the user wants to plan for */
  readonly maxConnections: number | null;
  /** live pg_settings; empty without a server */
  readonly settings: readonly Setting[];
  readonly tables: readonly Table[];
  readonly checkpoints: Checkpoints | null;
  /** client connections open on the live server now (null without one) */
  readonly connectionsInUse?: number | null;
  /** large hot tables: at least this many live rows … */
  readonly largeTableRows?: number;
  /** … and updates + deletes at least this share of them since the stats reset */
  readonly hotTableChurn?: number;
}

export interface SettingRecommendation {
  readonly name: string;
  /** current value as PostgreSQL shows it (SHOW), null without a live server */
  readonly current: string | null;
  readonly currentSource: string | null;
  readonly recommended: string;
  readonly apply: ApplyMode;
  readonly changed: boolean;
  readonly reason: string;
  readonly formula: string;
  /** SQL that restores the current value (null without a live server) */
  readonly undo: string | null;
}

export interface MemoryCheck {
  readonly ramBytes: number;
  readonly osReserveBytes: number;
  readonly sharedBuffersBytes: number;
  readonly walBuffersBytes: number;
  readonly connections: number;
  readonly parallelWorkers: number;
  readonly nodeFactor: number;
  readonly workMemBytes: number;
  readonly autovacuumWorkers: number;
  readonly autovacuumMemBytes: number;
  readonly totalBytes: number;
  readonly fits: boolean;
  /** work_mem before the check lowered it, when it did */
  readonly workMemBeforeBytes: number | null;
  readonly explanation: string;
}

export interface TableAutovacuum {
  readonly table: string;
  readonly liveRows: number;
  readonly deadRows: number;
  readonly churn: number;
  readonly statement: string;
  readonly rollback: string;
  readonly reason: string;
}

export interface ConfigPlan {
  readonly hardware: Hardware;
  readonly workload: WorkloadType;
  readonly pgMajor: number;
  readonly recommendations: readonly SettingRecommendation[];
  readonly memory: MemoryCheck | null;
  readonly tables: readonly TableAutovacuum[];
  readonly notes: readonly string[];
}
