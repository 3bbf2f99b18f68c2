/**
 * Start-up migrations: compare the database with the blueprint, apply additive changes under an
 * advisory lock, refuse anything else with `SCHEMA_DRIFT`.
 */
export { type Catalog, canonicalTypes, readCatalog } from './catalog.js';
export { type DesiredSchema, desiredSchema } from './desired.js';
export { describeDifferences, diffSchema, type SchemaDifference, type SchemaDifferenceKind } from './diff.js';
export {
  compareSchema,
  isSchemaCurrent,
  MIGRATION_LOCK_KEY,
  MIGRATIONS_TABLE,
  type MigrationResult,
  migrateDatabase,
  schemaScript,
} from './migrate.js';
