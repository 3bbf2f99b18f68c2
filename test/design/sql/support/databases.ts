/**
 * One tiny interface over the two databases the schema must run on, so every DDL test body
 * runs unchanged on PGlite (always) and on the PostgreSQL server (when DATABASE_URL is set).
 */
import postgres from 'postgres';
import { createPglite } from '../../../../src/runtime/db/pglite-image.js';
import { createThrowawayDatabase, NO_SERVER_REASON, SERVER_URL } from '../../../support/postgres.js';

export type Row = Record<string, unknown>;

export interface TestDatabase {
  /** Run a multi-statement script (no parameters). */
  exec(script: string): Promise<void>;
  /** Run one statement with `$1`-style parameters. */
  query(text: string, params?: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** The fields of a database error the tests assert on, the same for both drivers. */
export interface SqlErrorInfo {
  readonly code: string;
  readonly constraint?: string;
  readonly column?: string;
  readonly table?: string;
  readonly message: string;
}

export interface DriverCase {
  readonly name: 'pglite' | 'postgres';
  /** Why the suite is skipped, or undefined when it runs. */
  readonly skipReason?: string;
  open(): Promise<TestDatabase>;
}

async function openPglite(): Promise<TestDatabase> {
  const db = await createPglite({});
  return {
    exec: async (script) => {
      await db.exec(script);
    },
    query: async (text, params = []) => (await db.query<Row>(text, [...params])).rows,
    close: () => db.close(),
  };
}

async function openServer(): Promise<TestDatabase> {
  const database = await createThrowawayDatabase('architect_ddl');
  // One connection, so BEGIN/ROLLBACK issued as plain statements stay on the same session.
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  return {
    exec: async (script) => {
      await sql.unsafe(script);
    },
    query: async (text, params = []) => [
      ...(await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])),
    ],
    close: async () => {
      await sql.end();
      await database.drop();
    },
  };
}

export const DRIVERS: readonly DriverCase[] = [
  { name: 'pglite', open: openPglite },
  { name: 'postgres', skipReason: SERVER_URL ? undefined : NO_SERVER_REASON, open: openServer },
];

/**
 * Empty the public schema, so one database (PGlite starts slowly) serves several blueprints in
 * turn.
 */
export async function resetSchema(db: TestDatabase): Promise<void> {
  await db.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
}

/** The error a statement raised, normalized across drivers; undefined when it succeeded. */
export async function sqlError(work: Promise<unknown>): Promise<SqlErrorInfo | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return toSqlError(error);
  }
}

export function toSqlError(error: unknown): SqlErrorInfo {
  const raw = error as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  if (typeof raw?.code !== 'string') throw error;
  return {
    code: raw.code,
    constraint: text(raw.constraint) ?? text(raw.constraint_name),
    column: text(raw.column) ?? text(raw.column_name),
    table: text(raw.table) ?? text(raw.table_name),
    message: String(raw.message),
  };
}

/** Run `work` in a transaction that is always rolled back; returns the error it raised, if any. */
export async function attempt(
  db: TestDatabase,
  work: (db: TestDatabase) => Promise<unknown>,
): Promise<SqlErrorInfo | undefined> {
  await db.query('BEGIN');
  try {
    return await sqlError(work(db));
  } finally {
    await db.query('ROLLBACK');
  }
}
