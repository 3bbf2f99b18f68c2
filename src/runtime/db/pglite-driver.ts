/**
 * Embedded PostgreSQL (PGlite: PostgreSQL compiled to WASM, one connection) behind the driver
 * interface. The data lives in a folder (or in memory); nothing needs installing.
 *
 * PGlite has a single session, so work is serialized: PGlite's own exclusive lock queues every
 * query and transaction, so concurrent requests wait their turn instead of interleaving their
 * statements inside someone else's transaction. `stats()` reports that queue.
 */
import { mkdir } from 'node:fs/promises';
import {
  PGlite,
  type Transaction as PgliteTransaction,
  TransactionAbortedError as PgliteTransactionAbortedError,
} from '@electric-sql/pglite';
import {
  type Driver,
  type QueryResult,
  type Transaction,
  TransactionAbortedError,
  transactionCharacteristics,
} from './driver.js';
import { PARSERS, SERIALIZERS } from './value-types.js';

export interface PgliteDriverOptions {
  /** Data folder; in memory when absent. */
  readonly dataDir?: string;
}

interface PgliteQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number; rowCount?: number }>;
}

async function runQuery<T>(
  target: PgliteQueryable,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<T>> {
  const result = await target.query<T>(sql, params ? [...params] : undefined);
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

export async function createPgliteDriver(options: PgliteDriverOptions): Promise<Driver> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    parsers: PARSERS as Record<number, (value: string) => unknown>,
    serializers: SERIALIZERS as Record<number, (value: unknown) => string>,
  });
  // Session settings the value parsers rely on (PGlite keeps its one session for its lifetime).
  await db.exec(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'`);

  let pending = 0;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    pending += 1;
    try {
      return await work();
    } finally {
      pending -= 1;
    }
  };

  const wrapTransaction = (tx: PgliteTransaction): Transaction => ({
    query: (sql, params) => runQuery(tx, sql, params),
    exec: async (script) => {
      await tx.exec(script);
    },
  });

  return {
    kind: 'pglite',
    location: options.dataDir ?? 'memory',
    query: (sql, params) => track(() => runQuery(db, sql, params)),
    transaction: (work, transactionOptions) =>
      track(async () => {
        try {
          return await db.transaction(async (tx) => {
            const characteristics = transactionCharacteristics(transactionOptions);
            if (characteristics) await tx.query(`SET TRANSACTION ${characteristics}`);
            return work(wrapTransaction(tx));
          });
        } catch (error) {
          throw error instanceof PgliteTransactionAbortedError ? new TransactionAbortedError() : error;
        }
      }),
    exec: (script) =>
      track(async () => {
        await db.exec(script);
      }),
    close: async () => {
      if (!db.closed) await db.close();
    },
    stats: () => ({ total: 1, idle: pending === 0 ? 1 : 0, waiting: Math.max(0, pending - 1) }),
  };
}
