import type { Analyzer } from '../engine/analyzer.ts';
import { connectionPool } from './diagnose/connection-pool/index.ts';
import { n1Suspects } from './diagnose/n1-suspects/index.ts';
import { configTuner } from './optimize/config-tuner/index.ts';
import { queryRewrites } from './optimize/query-rewrites/index.ts';
import { cacheHitRatio } from './profile/cache-hit-ratio/index.ts';
import { duplicateIndexes } from './profile/duplicate-indexes/index.ts';
import { indexAdvisor } from './optimize/index-advisor/index.ts';
import { fkWithoutIndex } from './profile/fk-without-index/index.ts';
import { indexHitRatio } from './profile/index-hit-ratio/index.ts';
import { topStatements } from './profile/top-statements/index.ts';
import { unusedIndexes } from './profile/unused-indexes/index.ts';
import { statementRankings } from './profile/statement-rankings/index.ts';
import { slowStatements } from './profile/slow-statements/index.ts';
import { statementRegressions } from './profile/statement-regressions/index.ts';
import { redundantIndexes } from './profile/redundant-indexes/index.ts';
import { invalidIndexes } from './profile/invalid-indexes/index.ts';
import { notValidConstraints } from './profile/not-valid-constraints/index.ts';
import { seqScanHeavyTables } from './profile/seq-scan-heavy-tables/index.ts';
import { tableBloat } from './profile/table-bloat/index.ts';
import { indexBloat } from './profile/index-bloat/index.ts';
import { connectionUsage } from './profile/connection-usage/index.ts';
import { idleInTransaction } from './profile/idle-in-transaction/index.ts';
import { longRunningQueries } from './profile/long-running-queries/index.ts';
import { lockBlocking } from './profile/lock-blocking/index.ts';
import { deadTuples } from './profile/dead-tuples/index.ts';
import { neverAnalyzed } from './profile/never-analyzed/index.ts';
import { autovacuumBehind } from './profile/autovacuum-behind/index.ts';
import { autovacuumSettings } from './profile/autovacuum-settings/index.ts';
import { xidWraparound } from './profile/xid-wraparound/index.ts';
import { sequenceOverflow } from './profile/sequence-overflow/index.ts';
import { replicationLag } from './profile/replication-lag/index.ts';
import { replicationSlots } from './profile/replication-slots/index.ts';
import { checkpointFrequency } from './profile/checkpoint-frequency/index.ts';
import { tempFiles } from './profile/temp-files/index.ts';
import { deadlocks } from './profile/deadlocks/index.ts';
import { rollbackRatio } from './profile/rollback-ratio/index.ts';
import { settingsSanity } from './profile/settings-sanity/index.ts';
import { SCHEMA_ANALYZERS } from './schema-analyzers.ts';

/** Every analyzer, explicitly listed: the order here is the order in docs, not in reports. */
export const ANALYZERS: readonly Analyzer[] = [
  topStatements,
  cacheHitRatio,
  indexHitRatio,
  unusedIndexes,
  duplicateIndexes,
  fkWithoutIndex,
  connectionPool,
  n1Suspects,
  configTuner,
  ...SCHEMA_ANALYZERS,
  queryRewrites,
  statementRankings,
  slowStatements,
  statementRegressions,
  redundantIndexes,
  invalidIndexes,
  notValidConstraints,
  seqScanHeavyTables,
  tableBloat,
  indexBloat,
  connectionUsage,
  idleInTransaction,
  longRunningQueries,
  lockBlocking,
  deadTuples,
  neverAnalyzed,
  autovacuumBehind,
  autovacuumSettings,
  xidWraparound,
  sequenceOverflow,
  replicationLag,
  replicationSlots,
  checkpointFrequency,
  tempFiles,
  deadlocks,
  rollbackRatio,
  settingsSanity,
  indexAdvisor,
];

export function analyzerById(id: string): Analyzer | undefined {
  return ANALYZERS.find((a) => a.id === id);
}
