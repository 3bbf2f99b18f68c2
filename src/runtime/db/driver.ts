/**
 * The database driver interface: embedded PostgreSQL (PGlite) and a PostgreSQL server
 * (postgres.js) behind one small shape, so the migrations, the routes and the tests never know
 * which one they talk to. One conformance suite (`test/runtime/db/`) runs against both.
 *
 * Both drivers return the same JavaScript values for the same SQL:
 *
 * | PostgreSQL type            | JavaScript value                                                  |
 * |----------------------------|-------------------------------------------------------------------|
 * | `int2`, `int4`, `float4/8` | `number`                                                          |
 * | `int8` (identity ids, `count(*)`) | `number` when it is a safe integer, else the exact `string` |
 * | `numeric`                  | `string`, exact as PostgreSQL prints it (`"12.5000"`)             |
 * | `bool`                     | `boolean`                                                         |
 * | `text`, `varchar`, `uuid`, enums | `string`                                                    |
 * | `date`                     | `"YYYY-MM-DD"`                                                    |
 * | `timestamptz`              | ISO 8601 in UTC: `"2024-05-01T10:20:30.123Z"`; microseconds are kept when present (`"…30.123456Z"`) |
 * | `timestamp`                | the same without `Z`                                              |
 * | `json`, `jsonb`            | the parsed value                                                  |
 * | arrays (`text[]`, `uuid[]`, `int4[]` …) | arrays of the element values above                   |
 *
 * Parameters: pass strings, numbers, booleans, `null`, arrays (for `= ANY($1)`) and plain
 * objects or arrays for `jsonb` parameters (serialized as JSON from the parameter's type).
 *
 * @example
 * ```ts
 * const driver = await createDriver({ databaseUrl: process.env.DATABASE_URL, dataDir: '.architect/data' });
 * const { rows } = await driver.query<{ id: string }>('SELECT id FROM products WHERE sku = $1', ['A-1']);
 * await driver.transaction(async (tx) => {
 *   await tx.query('UPDATE stock_levels SET on_hand = on_hand + $1 WHERE product_id = $2', [5, id]);
 * }, { isolation: 'serializable' });
 * await driver.close();
 * ```
 */

export interface QueryResult<T> {
  readonly rows: T[];
  /** Rows returned by a SELECT, or changed by INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

export interface Queryable {
  /** One statement with `$1`-style parameters (prepared on the server driver). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

/**
 * A transaction: every query runs on the same connection. Use savepoints through
 * `query('SAVEPOINT x')` / `query('ROLLBACK TO SAVEPOINT x')` for per-item recovery (bulk partial
 * mode). Do not call the driver itself inside `work`: on PGlite that would wait for this very
 * transaction to end.
 */
export interface Transaction extends Queryable {
  /** A multi-statement script inside the transaction (no parameters). */
  exec(script: string): Promise<void>;
}

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  /** Default: the server default (`read committed`). */
  readonly isolation?: IsolationLevel;
  readonly readOnly?: boolean;
}

/** The characteristics (`isolation level serializable read only`) that opens the transaction's characteristics, or nothing for the defaults. */
export function transactionCharacteristics(options: TransactionOptions = {}): string {
  const parts: string[] = [];
  if (options.isolation) parts.push(`isolation level ${options.isolation}`);
  if (options.readOnly) parts.push('read only');
  return parts.join(' ');
}

/**
 * COMMIT found the transaction aborted by an earlier failed statement (one the work caught
 * without rolling back to a savepoint), so PostgreSQL rolled it back. SQLSTATE 25P02.
 */
export class TransactionAbortedError extends Error {
  readonly code = '25P02';
  constructor() {
    super('The transaction was aborted by an earlier failed statement and has been rolled back');
    this.name = 'TransactionAbortedError';
  }
}

export interface DriverStats {
  /** Connections the pool may hold (PGlite: 1). */
  readonly total: number;
  /** Of those, not running a query or transaction right now. */
  readonly idle: number;
  /** Queries and transactions queued for a connection. */
  readonly waiting: number;
}

export type DriverKind = 'pglite' | 'postgres';

export interface Driver extends Queryable {
  readonly kind: DriverKind;
  /**
   * Run `work` in a transaction: COMMIT when it resolves, ROLLBACK when it throws (the error is
   * rethrown untranslated; see `translateDatabaseError` and `withRetry`). On PGlite, which has a
   * single connection, transactions queue behind each other instead of interleaving.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * `transaction`, with `setup` (a script without parameters, such as `SET LOCAL ...` with
   * literal values) run right after BEGIN in the same message, so the work starts one round trip
   * sooner. Optional: `withSession` falls back to a parameterized statement after BEGIN.
   */
  transactionAfter?<T>(
    setup: string,
    work: (tx: Transaction) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /**
   * One statement in a transaction of its own, after `setup`: a script without parameters (such
   * as `SET LOCAL ...` with literal values) that runs right after BEGIN, in as few
   * round trips and protocol messages as the driver can manage (the server driver sends
   * `<setup>; EXECUTE name(<literals>)` as one message, or, when it cannot, `BEGIN; <setup>`,
   * the statement and COMMIT, pipelined). Optional: `withSession` falls back to `transaction`.
   */
  queryAfter?<T = Record<string, unknown>>(
    setup: string,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>>;
  /** A multi-statement script (DDL), outside any transaction unless the script opens one. */
  exec(script: string): Promise<void>;
  /** Close every connection; pending work finishes first. */
  close(): Promise<void>;
  stats(): DriverStats;
  /** Where the data lives, for people: a redacted server URL, a folder, or `memory`. */
  readonly location: string;
}

export interface DriverOptions {
  /** A PostgreSQL server URL (`postgres://user@host:5432/db`). When set, the server driver is used. */
  readonly databaseUrl?: string;
  /** PGlite data folder (created when missing). Ignored with `databaseUrl`. */
  readonly dataDir?: string;
  /** PGlite in memory, gone when the driver closes. */
  readonly memory?: boolean;
  /** Server pool size (default 10). */
  readonly poolSize?: number;
  /**
   * A PostgreSQL server cancels a statement that runs longer (`statement_timeout` of every
   * connection; a transaction may `SET LOCAL` it otherwise). None by default. PGlite runs
   * statements one at a time in this process and has no such limit.
   */
  readonly statementTimeoutMs?: number;
}

/**
 * Open a driver: the server when `databaseUrl` is given, otherwise PGlite on `dataDir` (or in
 * memory with `memory: true`). The implementation is imported lazily so a server deployment never
 * loads the WASM build and the embedded one never opens sockets.
 */
export async function createDriver(options: DriverOptions): Promise<Driver> {
  if (options.databaseUrl) {
    const { createPostgresDriver } = await import('./postgres-driver.js');
    return createPostgresDriver(options.databaseUrl, {
      poolSize: options.poolSize,
      statementTimeoutMs: options.statementTimeoutMs,
    });
  }
  const { createPgliteDriver } = await import('./pglite-driver.js');
  if (options.memory || !options.dataDir) return createPgliteDriver({});
  return createPgliteDriver({ dataDir: options.dataDir });
}
