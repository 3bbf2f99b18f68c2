/**
 * The database layer of the runtime: the driver interface with its two implementations, the
 * translation of database errors into catalog errors, and transaction retries.
 */
export {
  type DatabaseErrorInfo,
  isRetryableDatabaseError,
  isUnavailableDatabaseError,
  readDatabaseError,
} from './database-error.js';
export {
  createDriver,
  type Driver,
  type DriverKind,
  type DriverOptions,
  type DriverStats,
  type IsolationLevel,
  type Queryable,
  type QueryResult,
  type Transaction,
  type TransactionOptions,
} from './driver.js';
export { type FieldProblem, RETRY_AFTER_SECONDS, translateDatabaseError } from './translate-error.js';
export { type RetryOptions, retryOnConflict, withRetry } from './with-retry.js';
