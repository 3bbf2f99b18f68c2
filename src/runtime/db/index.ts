/**
 * The database layer of the runtime: the driver interface with its two implementations, and the
 * translation of database errors into catalog errors.
 */
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
