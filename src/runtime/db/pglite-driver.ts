/**
 * Embedded PostgreSQL (PGlite: PostgreSQL compiled to WASM, one connection) behind the driver
 * interface. The data lives in a folder (or in memory); nothing needs installing.
 *
 * PGlite has a single session, so work is serialized: PGlite's own exclusive lock queues every
 * query and transaction, so concurrent requests wait their turn instead of interleaving their
 * statements inside someone else's transaction. `stats()` reports that queue.
 */
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type Transaction as PgliteTransaction,
  TransactionAbortedError as PgliteTransactionAbortedError,
} from '@electric-sql/pglite';
import { ArchitectError } from '../../errors.js';
import {
  type Driver,
  type Transaction,
  TransactionAbortedError,
  transactionCharacteristics,
} from './driver.js';
import { createPglite } from './pglite-image.js';
import { PgliteStatements } from './pglite-statements.js';
import { PARSERS, SERIALIZERS } from './value-types.js';

export interface PgliteDriverOptions {
  /** Data folder; in memory when absent. */
  readonly dataDir?: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per data folder: PGlite is a single-process database, and two processes writing
 * the same files would corrupt them. A `<dataDir>.lock` file holds the owner's pid; a lock left
 * by a process that no longer runs is taken over. Resolves to the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new ArchitectError('DATABASE_UNAVAILABLE', {
          location: dataDir,
          detail: `the data folder is in use by process ${owner}; stop it, or use another --data-dir or --memory`,
        });
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new ArchitectError('DATABASE_UNAVAILABLE', {
    location: dataDir,
    detail: 'cannot take the data folder lock',
  });
}

export async function createPgliteDriver(options: PgliteDriverOptions): Promise<Driver> {
  if (options.dataDir && (await stat(options.dataDir).catch(() => undefined))?.isDirectory() === false) {
    throw new ArchitectError('DATABASE_UNAVAILABLE', {
      location: options.dataDir,
      detail: 'it is a file, not a folder; give a folder for the data (one that does not exist is made)',
    });
  }
  const release = options.dataDir ? await lockDataDir(options.dataDir) : async () => {};
  try {
    return await openPglite(options, release);
  } catch (error) {
    await release();
    throw error;
  }
}

async function openPglite(options: PgliteDriverOptions, release: () => Promise<void>): Promise<Driver> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await createPglite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    parsers: PARSERS as Record<number, (value: string) => unknown>,
    serializers: SERIALIZERS as Record<number, (value: unknown) => string>,
  });
  // Session settings the value parsers rely on (PGlite keeps its one session for its lifetime).
  await db.exec(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'`);
  const statements = new PgliteStatements(db);

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
    query: (sql, params) =>
      // as PGlite's own transaction object refuses: a statement after COMMIT or ROLLBACK
      tx.closed
        ? Promise.reject(new Error('Transaction is closed'))
        : statements.query(sql, params ?? [], true),
    exec: async (script) => {
      await tx.exec(script);
    },
  });

  return {
    kind: 'pglite',
    location: options.dataDir ?? 'memory',
    query: (sql, params) => track(() => statements.query(sql, params ?? [])),
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
      await release();
    },
    stats: () => ({ total: 1, idle: pending === 0 ? 1 : 0, waiting: Math.max(0, pending - 1) }),
  };
}
