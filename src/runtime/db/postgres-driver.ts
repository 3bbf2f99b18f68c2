/**
 * A PostgreSQL server through postgres.js: a connection pool, named prepared statements for
 * parameterized queries, and the shared value parsers so results match PGlite's.
 */
import postgres from 'postgres';
import { parse as parseArray } from 'postgres-array';
import {
  type Driver,
  type QueryResult,
  type Transaction,
  TransactionAbortedError,
  type TransactionOptions,
  transactionCharacteristics,
} from './driver.js';
import {
  isMissingStatement,
  isStalePlan,
  NamedStatements,
  type RetryVerdict,
  retryVerdict,
} from './named-statements.js';
import { PoolQueueRepair } from './pool-queues.js';
import { literalArguments } from './sql-literal.js';
import { PARSERS, SERIALIZERS } from './value-types.js';

export interface PostgresDriverOptions {
  /** Pool size (default 10). */
  readonly poolSize?: number;
  /** The server cancels a statement running longer than this (`statement_timeout`); 0 or none: never. */
  readonly statementTimeoutMs?: number;
}

/** postgres.js custom types: one entry per OID with the shared parser and serializer. */
function customTypes(): Record<string, postgres.PostgresType> {
  const oids = new Set([...Object.keys(PARSERS), ...Object.keys(SERIALIZERS)].map(Number));
  const types: Record<string, postgres.PostgresType> = {};
  for (const oid of oids) {
    const parse = PARSERS[oid] ?? ((text: string) => text);
    const serialize = SERIALIZERS[oid] ?? ((value: unknown) => String(value));
    types[`oid${oid}`] = { to: oid, from: [oid], parse, serialize };
  }
  return types;
}

/**
 * postgres.js reads a NULL array element as the string `'NULL'` (and as NaN in a numeric array).
 * Once it has fetched the array types, each array parser is replaced by postgres-array's, over
 * the same element parser, so `ARRAY['a', NULL]` reads as `['a', null]` as it does on PGlite.
 * Later connections keep these: postgres.js only adds array parsers that are missing.
 */
function readArrayNulls(sql: Sql): void {
  type Parser = (text: string) => unknown;
  const options = sql.options as unknown as {
    parsers: Record<number, Parser>;
    shared: { typeArrayMap: Record<number, number> };
  };
  for (const [element, array] of Object.entries(options.shared.typeArrayMap)) {
    const parseElement = options.parsers[Number(element)];
    // Not flagged `array`: postgres.js then hands over the whole text, braces included.
    options.parsers[array] = parseElement
      ? (text: string) => parseArray(text, parseElement)
      : (text: string) => parseArray(text);
  }
}

/** The URL without its password, for logs and the start-up banner. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

type Sql = postgres.Sql<Record<string, postgres.PostgresType>>;
type Parameters = postgres.ParameterOrJSON<never>[];

/** Options of the pool's statements: prepared, and repairing the pool's queues (pool-queues.ts). */
type QueryOptions = { prepare: true; onexecute?: (connection: unknown) => true };
const PREPARED: QueryOptions = { prepare: true };

async function runQuery<T>(
  sql: Sql | postgres.ReservedSql,
  text: string,
  params?: readonly unknown[],
  options: QueryOptions = PREPARED,
) {
  const result = await sql.unsafe(text, (params ?? []) as Parameters, options as { prepare: true });
  // postgres.js's result is an Array subclass whose metadata properties are not enumerable and
  // whose species is Array (slice and map give plain arrays): it serves as the rows as it is.
  return {
    rows: result as unknown as T[],
    rowCount: result.count ?? result.length,
  } satisfies QueryResult<T>;
}

/**
 * A transaction on a reserved connection with BEGIN/COMMIT issued here rather than through
 * `sql.begin()`, which fails the whole transaction on any failed statement, even one the caller
 * recovered from with `ROLLBACK TO SAVEPOINT` (bulk partial mode needs exactly that).
 */
async function runTransaction<T>(
  sql: Sql,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions | undefined,
  setup?: string,
): Promise<T> {
  const connection = await sql.reserve();
  try {
    const characteristics = transactionCharacteristics(options);
    const begin = characteristics ? `BEGIN ${characteristics}` : 'BEGIN';
    // The setup rides in BEGIN's message (a simple query may hold several statements).
    await connection.unsafe(setup ? `${begin}; ${setup}` : begin);
    let result: T;
    try {
      result = await work({
        query: (text, params) => runQuery(connection, text, params),
        exec: async (script) => {
          await connection.unsafe(script);
        },
      });
    } catch (error) {
      await connection.unsafe('ROLLBACK').catch(() => {});
      throw error;
    }
    const commit = await connection.unsafe('COMMIT');
    // COMMIT of a transaction an earlier error aborted silently rolls back: say so.
    if (commit.command === 'ROLLBACK') throw new TransactionAbortedError();
    return result;
  } finally {
    connection.release();
  }
}

/**
 * `BEGIN; <setup>` (one simple-protocol message), the statement and COMMIT written back to back
 * on one connection (postgres.js pipelines them): one round trip instead of three, and three
 * protocol exchanges instead of four. A failed statement aborts the transaction, so the COMMIT
 * after it rolls back; its error is the one reported.
 */
async function runAfterInTransaction<T>(
  sql: Sql,
  setup: string,
  text: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<T>> {
  const connection = await sql.reserve();
  try {
    const steps = [
      connection.unsafe(`BEGIN; ${setup}`),
      connection.unsafe(text, (params ?? []) as Parameters, { prepare: true }),
      connection.unsafe('COMMIT'),
    ];
    const [begin, result, commit] = await Promise.allSettled(steps);
    for (const step of [begin, result]) if (step!.status === 'rejected') throw step!.reason;
    if (commit!.status === 'rejected') throw commit!.reason;
    if (commit!.value.command === 'ROLLBACK') throw new TransactionAbortedError();
    const rows = (result as PromiseFulfilledResult<postgres.RowList<postgres.Row[]>>).value;
    return { rows: rows as unknown as T[], rowCount: rows.count ?? rows.length };
  } catch (error) {
    // Whatever failed, leave no transaction open on the pooled connection.
    await connection.unsafe('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

/** The last result of a multi-statement simple query: the statement's, after the setup's. */
function lastResult<T>(results: postgres.RowList<postgres.Row[]> | postgres.RowList<postgres.Row[]>[]) {
  const list = (Array.isArray(results[0]) ? results.at(-1) : results) as postgres.RowList<postgres.Row[]>;
  return { rows: list as unknown as T[], rowCount: list.count ?? list.length } satisfies QueryResult<T>;
}

/**
 * One statement after `setup` in a transaction of its own. When its values can be written as
 * literals it is sent as `<setup>; EXECUTE name(...)`; otherwise (arrays, dates, a statement
 * the server will not prepare) as BEGIN, statement and COMMIT pipelined.
 */
async function runAfter<T>(
  sql: Sql,
  named: NamedStatements,
  setup: string,
  text: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<T>> {
  const name = named.nameFor(text);
  const args = name === undefined ? undefined : literalArguments(params);
  if (name === undefined || args === undefined) return runAfterInTransaction(sql, setup, text, params);
  const lead = setup ? `${setup}; ` : '';
  const execute = `${lead}EXECUTE ${name}${args}`;
  try {
    return lastResult<T>(await sql.unsafe(execute));
  } catch (error) {
    if (isStalePlan(error)) {
      named.refuse(text);
      return runAfterInTransaction(sql, setup, text, params);
    }
    if (!isMissingStatement(error, name)) throw error;
  }
  // That connection has not prepared it yet. On one reserved connection: PREPARE (after the
  // setup, so the plan is made for the session's role; a connection that already holds the
  // name, because the failed EXECUTE ran elsewhere, is fine), then the EXECUTE again.
  const connection = await sql.reserve();
  let verdict: RetryVerdict;
  try {
    const prepare = connection.unsafe(`${lead}PREPARE ${name} AS ${text}`).then(
      () => undefined,
      (error: unknown) => error,
    );
    const result = connection.unsafe(execute).then(
      (results) => ({ results, error: undefined }),
      (error: unknown) => ({ results: undefined, error }),
    );
    const [prepareError, outcome] = await Promise.all([prepare, result]);
    if (outcome.results) return lastResult<T>(outcome.results);
    verdict = retryVerdict(name, prepareError, outcome.error);
  } finally {
    connection.release();
  }
  if ('error' in verdict) throw verdict.error;
  // From now on the text (or every statement) goes the slow way; this time too.
  if (verdict.slow === 'driver') named.disable();
  else named.refuse(text);
  return runAfterInTransaction(sql, setup, text, params);
}

export async function createPostgresDriver(
  databaseUrl: string,
  options: PostgresDriverOptions = {},
): Promise<Driver> {
  const poolSize = options.poolSize ?? 10;
  const sql: Sql = postgres(databaseUrl, {
    max: poolSize,
    prepare: true,
    onnotice: () => {},
    // No idle timeout (postgres.js's default): it re-armed a timer on every statement. Connections
    // still rotate through max_lifetime (30-60 min).
    connect_timeout: 10,
    types: customTypes(),
    connection: {
      application_name: 'architect',
      TimeZone: 'UTC',
      DateStyle: 'ISO, YMD',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });

  const named = new NamedStatements();
  const queues = new PoolQueueRepair();
  const poolOptions: QueryOptions = { prepare: true, onexecute: queues.onexecute };

  // postgres.js exposes no pool counters, so count the work handed to it.
  let pending = 0;
  const settled = () => {
    pending -= 1;
  };
  const track = <T>(work: () => Promise<T>): Promise<T> => {
    pending += 1;
    const promise = work();
    promise.then(settled, settled);
    return promise;
  };

  const driver: Driver = {
    kind: 'postgres',
    location: redactUrl(databaseUrl),
    query: (text, params) => track(() => runQuery(sql, text, params, poolOptions)),
    transaction: (work, transactionOptions) => track(() => runTransaction(sql, work, transactionOptions)),
    transactionAfter: (setup, work, transactionOptions) =>
      track(() => runTransaction(sql, work, transactionOptions, setup)),
    queryAfter: (setup, text, params) => track(() => runAfter(sql, named, setup, text, params)),
    exec: (script) =>
      track(async () => {
        await sql.unsafe(script);
      }),
    close: () => sql.end({ timeout: 5 }),
    stats: () => ({
      total: poolSize,
      idle: Math.max(0, poolSize - pending),
      waiting: Math.max(0, pending - poolSize),
    }),
  };
  // Fail at start-up, not on the first request, when the server cannot be reached.
  try {
    await driver.query('SELECT 1');
    readArrayNulls(sql);
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw error;
  }
  return driver;
}
