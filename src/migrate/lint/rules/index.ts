import type { LintRuleModule } from '../lint-types.ts';
import { addIndexManyColumns } from './add-index-many-columns.ts';
import { addingExclusionConstraint } from './adding-exclusion-constraint.ts';
import { addingFieldWithDefault } from './adding-field-with-default.ts';
import { addingForeignKeyConstraint } from './adding-foreign-key-constraint.ts';
import { addingJsonColumn } from './adding-json-column.ts';
import { addingNotNullableField } from './adding-not-nullable-field.ts';
import { addingRequiredField } from './adding-required-field.ts';
import { addingSerialPrimaryKeyField } from './adding-serial-primary-key-field.ts';
import { backfillInDdlTransaction } from './backfill-in-ddl-transaction.ts';
import { banAlterDomainWithAddConstraint } from './ban-alter-domain-with-add-constraint.ts';
import { banCharField } from './ban-char-field.ts';
import { banConcurrentIndexCreationInTransaction } from './ban-concurrent-index-creation-in-transaction.ts';
import { banCreateDomainWithConstraint } from './ban-create-domain-with-constraint.ts';
import { banDropColumn } from './ban-drop-column.ts';
import { banDropDatabase } from './ban-drop-database.ts';
import { banDropNotNull } from './ban-drop-not-null.ts';
import { banDropTable } from './ban-drop-table.ts';
import { banDuplicateColumnAssignments } from './ban-duplicate-column-assignments.ts';
import { banTruncateCascade } from './ban-truncate-cascade.ts';
import { banUncommittedTransaction } from './ban-uncommitted-transaction.ts';
import { changingColumnType } from './changing-column-type.ts';
import { constraintMissingNotValid } from './constraint-missing-not-valid.ts';
import { createTableForce } from './create-table-force.ts';
import { disallowedUniqueConstraint } from './disallowed-unique-constraint.ts';
import { identifierTooLong } from './identifier-too-long.ts';
import { lockTable } from './lock-table.ts';
import { preferBigintOverInt } from './prefer-bigint-over-int.ts';
import { preferBigintOverSmallint } from './prefer-bigint-over-smallint.ts';
import { preferIdentity } from './prefer-identity.ts';
import { preferRepack } from './prefer-repack.ts';
import { preferRobustStmts } from './prefer-robust-stmts.ts';
import { preferTextField } from './prefer-text-field.ts';
import { preferTimestampTz } from './prefer-timestamp-tz.ts';
import { refreshMatviewBlocking } from './refresh-matview-blocking.ts';
import { renamingColumn } from './renaming-column.ts';
import { renamingEnumValue } from './renaming-enum-value.ts';
import { renamingSchema } from './renaming-schema.ts';
import { renamingTable } from './renaming-table.ts';
import { requireConcurrentIndexCreation } from './require-concurrent-index-creation.ts';
import { requireConcurrentIndexDeletion } from './require-concurrent-index-deletion.ts';
import { requireConcurrentPartitionDetach } from './require-concurrent-partition-detach.ts';
import { requireConcurrentReindex } from './require-concurrent-reindex.ts';
import { requireEnumValueOrdering } from './require-enum-value-ordering.ts';
import { requireLockTimeout } from './require-lock-timeout.ts';
import { requireStatementTimeout } from './require-statement-timeout.ts';
import { tableRewrite } from './table-rewrite.ts';
import { transactionNesting } from './transaction-nesting.ts';
import { unbatchedBackfill } from './unbatched-backfill.ts';

/** Every lint rule, one module each (metadata, valid and invalid cases, check). */
export const RULE_MODULES: readonly LintRuleModule[] = [
  addIndexManyColumns,
  addingExclusionConstraint,
  addingFieldWithDefault,
  addingForeignKeyConstraint,
  addingJsonColumn,
  addingNotNullableField,
  addingRequiredField,
  addingSerialPrimaryKeyField,
  backfillInDdlTransaction,
  banAlterDomainWithAddConstraint,
  banCharField,
  banConcurrentIndexCreationInTransaction,
  banCreateDomainWithConstraint,
  banDropColumn,
  banDropDatabase,
  banDropNotNull,
  banDropTable,
  banDuplicateColumnAssignments,
  banTruncateCascade,
  banUncommittedTransaction,
  changingColumnType,
  constraintMissingNotValid,
  createTableForce,
  disallowedUniqueConstraint,
  identifierTooLong,
  lockTable,
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferRepack,
  preferRobustStmts,
  preferTextField,
  preferTimestampTz,
  refreshMatviewBlocking,
  renamingColumn,
  renamingEnumValue,
  renamingSchema,
  renamingTable,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentPartitionDetach,
  requireConcurrentReindex,
  requireEnumValueOrdering,
  requireLockTimeout,
  requireStatementTimeout,
  tableRewrite,
  transactionNesting,
  unbatchedBackfill,
];
