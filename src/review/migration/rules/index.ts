/**
 * Every migration rule, run against each statement in file order.
 */
import type { MigrationRule } from '../context.js';
import { rule as addCheckWithoutNotValid } from './add-check-without-not-valid.js';
import { rule as addColumnNotNullWithoutDefault } from './add-column-not-null-without-default.js';
import { rule as addColumnRewritesTable } from './add-column-rewrites-table.js';
import { rule as addExclusionConstraint } from './add-exclusion-constraint.js';
import { rule as addForeignKeyWithoutNotValid } from './add-foreign-key-without-not-valid.js';
import { rule as addIndexWithoutConcurrently } from './add-index-without-concurrently.js';
import { rule as addUniqueConstraintWithoutIndex } from './add-unique-constraint-without-index.js';
import { rule as backfillInDdlTransaction } from './backfill-in-ddl-transaction.js';
import { rule as changeColumnType } from './change-column-type.js';
import { rule as concurrentlyInTransaction } from './concurrently-in-transaction.js';
import { rule as detachPartitionWithoutConcurrently } from './detach-partition-without-concurrently.js';
import { rule as dropColumn } from './drop-column.js';
import { rule as dropIndexWithoutConcurrently } from './drop-index-without-concurrently.js';
import { rule as dropNotNull } from './drop-not-null.js';
import { rule as dropSchemaOrDatabase } from './drop-schema-or-database.js';
import { rule as dropTable } from './drop-table.js';
import { rule as multipleAccessExclusiveInTransaction } from './multiple-access-exclusive-in-transaction.js';
import { rule as nestedTransaction } from './nested-transaction.js';
import { rule as refreshMaterializedViewWithoutConcurrently } from './refresh-materialized-view-without-concurrently.js';
import { rule as reindexWithoutConcurrently } from './reindex-without-concurrently.js';
import { rule as renameColumn } from './rename-column.js';
import { rule as renameTable } from './rename-table.js';
import { rule as requireLockTimeout } from './require-lock-timeout.js';
import { rule as setNotNullWithoutCheck } from './set-not-null-without-check.js';
import { rule as tableRewrite } from './table-rewrite.js';
import { rule as truncateTable } from './truncate-table.js';
import { rule as unbatchedBackfill } from './unbatched-backfill.js';
import { rule as uncommittedTransaction } from './uncommitted-transaction.js';
import { rule as vacuumFullOrCluster } from './vacuum-full-or-cluster.js';
import { rule as validateInSameTransaction } from './validate-in-same-transaction.js';

export { syntaxErrorRule } from './syntax-error.js';

export const MIGRATION_RULES: readonly MigrationRule[] = [
  addIndexWithoutConcurrently,
  dropIndexWithoutConcurrently,
  concurrentlyInTransaction,
  reindexWithoutConcurrently,
  addForeignKeyWithoutNotValid,
  addCheckWithoutNotValid,
  addUniqueConstraintWithoutIndex,
  addExclusionConstraint,
  setNotNullWithoutCheck,
  addColumnNotNullWithoutDefault,
  addColumnRewritesTable,
  changeColumnType,
  tableRewrite,
  dropColumn,
  dropTable,
  dropSchemaOrDatabase,
  renameColumn,
  renameTable,
  dropNotNull,
  truncateTable,
  requireLockTimeout,
  multipleAccessExclusiveInTransaction,
  backfillInDdlTransaction,
  unbatchedBackfill,
  validateInSameTransaction,
  uncommittedTransaction,
  nestedTransaction,
  vacuumFullOrCluster,
  detachPartitionWithoutConcurrently,
  refreshMaterializedViewWithoutConcurrently,
];
