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
import type { Analyzer } from '../engine/analyzer.ts';

/** The analyzers the schema command runs; they are in the registry too, so full runs them. */
export const SCHEMA_ANALYZERS: readonly Analyzer[] = [
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
];
