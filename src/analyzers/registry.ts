import type { Analyzer } from '../engine/analyzer.ts';
import { connectionPool } from './diagnose/connection-pool/index.ts';
import { configTuner } from './optimize/config-tuner/index.ts';
import { schemaAmountType } from './optimize/schema-amount-type/index.ts';
import { schemaCharColumn } from './optimize/schema-char-column/index.ts';
import { schemaDenormalization } from './optimize/schema-denormalization/index.ts';
import { schemaEnumLikeText } from './optimize/schema-enum-like-text/index.ts';
import { schemaIdAsText } from './optimize/schema-id-as-text/index.ts';
import { schemaInt4PrimaryKey } from './optimize/schema-int4-primary-key/index.ts';
import { schemaJsonColumn } from './optimize/schema-json-column/index.ts';
import { schemaMissingForeignKey } from './optimize/schema-missing-foreign-key/index.ts';
import { schemaMissingPrimaryKey } from './optimize/schema-missing-primary-key/index.ts';
import { schemaNormalization } from './optimize/schema-normalization/index.ts';
import { schemaTimeSeries } from './optimize/schema-time-series/index.ts';
import { schemaTimestampType } from './optimize/schema-timestamp-type/index.ts';
import { queryRewrites } from './optimize/query-rewrites/index.ts';
import { cacheHitRatio } from './profile/cache-hit-ratio/index.ts';
import { duplicateIndexes } from './profile/duplicate-indexes/index.ts';
import { fkWithoutIndex } from './profile/fk-without-index/index.ts';
import { indexHitRatio } from './profile/index-hit-ratio/index.ts';
import { topStatements } from './profile/top-statements/index.ts';
import { unusedIndexes } from './profile/unused-indexes/index.ts';

/** Every analyzer, explicitly listed: the order here is the order in docs, not in reports. */
export const ANALYZERS: readonly Analyzer[] = [
  topStatements,
  cacheHitRatio,
  indexHitRatio,
  unusedIndexes,
  duplicateIndexes,
  fkWithoutIndex,
  connectionPool,
  configTuner,
  schemaIdAsText,
  schemaAmountType,
  schemaTimestampType,
  schemaCharColumn,
  schemaJsonColumn,
  schemaInt4PrimaryKey,
  schemaEnumLikeText,
  schemaMissingPrimaryKey,
  schemaMissingForeignKey,
  schemaNormalization,
  schemaDenormalization,
  schemaTimeSeries,
  queryRewrites,
];

export function analyzerById(id: string): Analyzer | undefined {
  return ANALYZERS.find((a) => a.id === id);
}
