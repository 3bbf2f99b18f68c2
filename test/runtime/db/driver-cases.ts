/**
 * The two drivers every runtime suite runs against: PGlite in memory always, the PostgreSQL
 * server on a throwaway database when DATABASE_URL is set.
 */
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import { createThrowawayDatabase, SERVER_URL } from '../../support/postgres.js';

export interface OpenedDriver {
  readonly driver: Driver;
  /** The server URL of the throwaway database (server case only). */
  readonly databaseUrl?: string;
  /** Close the driver and drop the throwaway database. */
  dispose(): Promise<void>;
}

export interface DriverCase {
  readonly name: 'pglite' | 'postgres';
  /** False when the case cannot run here (no server); suites skip with `NO_SERVER_REASON`. */
  readonly isAvailable: boolean;
  open(): Promise<OpenedDriver>;
}

export const DRIVER_CASES: readonly DriverCase[] = [
  {
    name: 'pglite',
    isAvailable: true,
    async open() {
      const driver = await createDriver({ memory: true });
      return { driver, dispose: () => driver.close() };
    },
  },
  {
    name: 'postgres',
    isAvailable: SERVER_URL !== undefined,
    async open() {
      const database = await createThrowawayDatabase('architect_runtime');
      const driver = await createDriver({ databaseUrl: database.url, poolSize: 4 });
      return {
        driver,
        databaseUrl: database.url,
        async dispose() {
          await driver.close();
          await database.drop();
        },
      };
    },
  },
];
