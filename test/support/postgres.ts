/**
 * Throwaway PostgreSQL databases for suites that need a real server. They run only when
 * DATABASE_URL is set (CI sets it); each suite gets its own database, dropped afterwards.
 */
import postgres from 'postgres';

export const SERVER_URL = process.env.DATABASE_URL;

/** Reason used with `describe.skipIf(!SERVER_URL)` so a skipped suite says why. */
export const NO_SERVER_REASON = 'needs a PostgreSQL server: set DATABASE_URL (CI does)';

export interface ThrowawayDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** Create an empty database on the server named by DATABASE_URL. */
export async function createThrowawayDatabase(prefix = 'architect_test'): Promise<ThrowawayDatabase> {
  if (!SERVER_URL) throw new Error(NO_SERVER_REASON);
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const cleanup = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
