import { cacheHitRatio } from '../analyzers/profile/cache-hit-ratio/index.ts';
import { checkpointFrequency } from '../analyzers/profile/checkpoint-frequency/index.ts';
import { connectionUsage } from '../analyzers/profile/connection-usage/index.ts';
import { deadTuples } from '../analyzers/profile/dead-tuples/index.ts';
import { idleInTransaction } from '../analyzers/profile/idle-in-transaction/index.ts';
import { longRunningQueries } from '../analyzers/profile/long-running-queries/index.ts';
import { replicationLag } from '../analyzers/profile/replication-lag/index.ts';
import { slowStatements } from '../analyzers/profile/slow-statements/index.ts';
import { tempFiles } from '../analyzers/profile/temp-files/index.ts';
import { xidWraparound } from '../analyzers/profile/xid-wraparound/index.ts';
import type { Analyzer, OptionValue } from '../engine/analyzer.ts';

/** The profile analyzers whose thresholds become alerts: one source, so a team tunes them once. */
export const MONITORED_ANALYZERS: readonly Analyzer[] = [
  cacheHitRatio,
  connectionUsage,
  longRunningQueries,
  idleInTransaction,
  replicationLag,
  xidWraparound,
  deadTuples,
  checkpointFrequency,
  tempFiles,
  slowStatements,
];

export interface MonitorThresholds {
  readonly cacheHit: { readonly targetPercent: number; readonly minBlocks: number };
  readonly connections: { readonly warnPercent: number; readonly criticalPercent: number };
  readonly longRunning: { readonly minSeconds: number; readonly criticalSeconds: number };
  readonly idleInTransaction: { readonly minSeconds: number; readonly criticalSeconds: number };
  readonly replication: { readonly maxLagSeconds: number; readonly maxLagBytes: number; readonly criticalLagSeconds: number };
  readonly xid: { readonly warnRemaining: number; readonly criticalRemaining: number };
  readonly deadTuples: { readonly minDeadTuples: number; readonly minDeadRatio: number; readonly criticalRatio: number };
  readonly checkpoints: { readonly maxRequestedShare: number; readonly minCheckpoints: number };
  readonly temp: { readonly maxBytesPerDay: number };
  readonly slow: { readonly minMeanMs: number; readonly minCalls: number; readonly criticalMeanMs: number };
}

/** Reads the thresholds from the analyzers' resolved options (defaults, config "analyzers", --set). */
export function monitorThresholds(optionsOf: (analyzer: Analyzer) => Readonly<Record<string, OptionValue>>): MonitorThresholds {
  const n = (analyzer: Analyzer, key: string): number => Number(optionsOf(analyzer)[key]);
  return {
    cacheHit: { targetPercent: n(cacheHitRatio, 'targetPercent'), minBlocks: n(cacheHitRatio, 'minBlocks') },
    connections: { warnPercent: n(connectionUsage, 'warnPercent'), criticalPercent: n(connectionUsage, 'criticalPercent') },
    longRunning: { minSeconds: n(longRunningQueries, 'minSeconds'), criticalSeconds: n(longRunningQueries, 'criticalSeconds') },
    idleInTransaction: { minSeconds: n(idleInTransaction, 'minSeconds'), criticalSeconds: n(idleInTransaction, 'criticalSeconds') },
    replication: { maxLagSeconds: n(replicationLag, 'maxLagSeconds'), maxLagBytes: n(replicationLag, 'maxLagBytes'), criticalLagSeconds: n(replicationLag, 'criticalLagSeconds') },
    xid: { warnRemaining: n(xidWraparound, 'warnRemaining'), criticalRemaining: n(xidWraparound, 'criticalRemaining') },
    deadTuples: { minDeadTuples: n(deadTuples, 'minDeadTuples'), minDeadRatio: n(deadTuples, 'minDeadRatio'), criticalRatio: n(deadTuples, 'criticalRatio') },
    checkpoints: { maxRequestedShare: n(checkpointFrequency, 'maxRequestedShare'), minCheckpoints: n(checkpointFrequency, 'minCheckpoints') },
    temp: { maxBytesPerDay: n(tempFiles, 'maxBytesPerDay') },
    slow: { minMeanMs: n(slowStatements, 'minMeanMs'), minCalls: n(slowStatements, 'minCalls'), criticalMeanMs: n(slowStatements, 'criticalMeanMs') },
  };
}
