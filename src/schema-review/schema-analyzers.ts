import { schemaAmountType } from '../analyzers/optimize/schema-amount-type/index.ts';
import { schemaCharColumn } from '../analyzers/optimize/schema-char-column/index.ts';
import { schemaDenormalization } from '../analyzers/optimize/schema-denormalization/index.ts';
import { schemaEnumLikeText } from '../analyzers/optimize/schema-enum-like-text/index.ts';
import { schemaIdAsText } from '../analyzers/optimize/schema-id-as-text/index.ts';
import { schemaInt4PrimaryKey } from '../analyzers/optimize/schema-int4-primary-key/index.ts';
import { schemaJsonColumn } from '../analyzers/optimize/schema-json-column/index.ts';
import { schemaMissingForeignKey } from '../analyzers/optimize/schema-missing-foreign-key/index.ts';
import { schemaMissingPrimaryKey } from '../analyzers/optimize/schema-missing-primary-key/index.ts';
import { schemaNormalization } from '../analyzers/optimize/schema-normalization/index.ts';
import { schemaTimeSeries } from '../analyzers/optimize/schema-time-series/index.ts';
import { schemaTimestampType } from '../analyzers/optimize/schema-timestamp-type/index.ts';
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
