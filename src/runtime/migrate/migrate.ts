/**
 * Start-up migrations: bring the database to the blueprint's schema before serving it.
 *
 * One transaction, under a PostgreSQL advisory lock, so instances starting together take turns:
 * the first applies the schema, the next ones wait, then find it current and do nothing. The
 * database is compared with the blueprint (`diffSchema`); only additive changes are applied (new
 * tables, columns that fill themselves, indexes, constraints added NOT VALID then validated,
 * functions and triggers); anything else refuses to start with `SCHEMA_DRIFT` listing each
 * difference and why. Every application is recorded in `architect_migrations`.
 */
import { createHash } from 'node:crypto';
import type { Model } from '../../blueprint/model.js';
import { type SchemaStatement, schemaStatements } from '../../design/sql/index.js';
import { ArchitectError } from '../../errors.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import { readDatabaseError } from '../db/database-error.js';
import type { Driver, Queryable, Transaction } from '../db/driver.js';
import { canonicalTypes, readCatalog } from './catalog.js';
import { desiredSchema } from './desired.js';
import { describeDifferences, diffSchema, type SchemaDifference } from './diff.js';

export const MIGRATIONS_TABLE = 'architect_migrations';

/**
 * Advisory lock key held while migrating: the first 8 bytes of sha256("architect migrations"),
 * as a signed bigint; fixed so every version of the toolkit serializes against every other.
 */
export const MIGRATION_LOCK_KEY = '-4502076102746371071';

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  blueprint   text NOT NULL,
  checksum    text NOT NULL,
  statements  jsonb NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ${MIGRATIONS_TABLE}_blueprint_id_idx ON ${MIGRATIONS_TABLE} (blueprint, id);`;

export interface MigrationResult {
  /** `applied`: statements ran and a row was recorded; `current`: nothing to do. */
  readonly status: 'applied' | 'current';
  readonly checksum: string;
  /** The differences found (all safe, since unsafe ones throw). */
  readonly differences: readonly SchemaDifference[];
  /** The statements run, in order. */
  readonly statements: readonly string[];
}

interface SchemaScript {
  readonly script: string;
  readonly statements: readonly string[];
  readonly checksum: string;
}

const scripts = new WeakMap<Model, SchemaScript>();

/** The blueprint's schema script and its sha256: what a migration row records as applied. */
export function schemaScript(model: Model): SchemaScript {
  let cached = scripts.get(model);
  if (!cached) {
    const statements = schemaStatements(model).map((statement) => statement.sql);
    const script = statements.join('\n\n');
    cached = { script, statements, checksum: createHash('sha256').update(script).digest('hex') };
    scripts.set(model, cached);
  }
  return cached;
}

async function filledTables(tx: Queryable, tables: Iterable<string>): Promise<Set<string>> {
  const filled = new Set<string>();
  for (const table of tables) {
    const { rows } = await tx.query<{ filled: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdentifier(table)}) AS filled`,
    );
    if (rows[0]?.filled) filled.add(table);
  }
  return filled;
}

async function runStatement(tx: Transaction, sql: string): Promise<void> {
  try {
    await tx.exec(sql);
  } catch (error) {
    const info = readDatabaseError(error);
    const firstLine = sql.split('\n')[0] ?? sql;
    throw new ArchitectError(
      'MIGRATION_FAILED',
      {
        statement: firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine,
        detail: info?.message ?? String(error),
      },
      { cause: error },
    );
  }
}

/** Compare without changing anything: the differences between the database and the blueprint. */
export async function compareSchema(tx: Transaction, model: Model): Promise<SchemaDifference[]> {
  const desired = desiredSchema(schemaStatements(model));
  const catalog = await readCatalog(tx);
  const types = await canonicalTypes(
    tx,
    desired.tables.flatMap((table) => table.columns.map((column) => column.type)),
  );
  const existing = desired.tables.map((table) => table.name).filter((name) => catalog.tables.has(name));
  return diffSchema(desired, catalog, {
    canonicalTypes: types,
    filledTables: await filledTables(tx, existing),
  });
}

/**
 * Bring the database to the blueprint's schema, or refuse with `SCHEMA_DRIFT`. Safe to call from
 * several processes at once.
 *
 * @example
 * const result = await migrateDatabase(driver, model);
 * logger.info({ status: result.status, checksum: result.checksum }, 'schema ready');
 */
export async function migrateDatabase(driver: Driver, model: Model): Promise<MigrationResult> {
  const { checksum } = schemaScript(model);
  const scriptStatements = schemaStatements(model);
  return driver.transaction(async (tx) => {
    // A schema change (an index on a large table) and the wait for another instance's one may
    // take longer than the requests' statement limit.
    await tx.exec('SET LOCAL statement_timeout = 0');
    // Held until COMMIT: a second instance waits here, then sees the first one's work.
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
    const differences = await compareSchema(tx, model);
    const unsafe = differences.filter((difference) => !difference.isSafe);
    if (unsafe.length > 0) {
      throw new ArchitectError(
        'SCHEMA_DRIFT',
        { differences: describeDifferences(unsafe) },
        { details: unsafe },
      );
    }
    const recorded = await lastChecksum(tx, model.name);
    if (differences.length === 0 && recorded === checksum) {
      return { status: 'current', checksum, differences, statements: [] };
    }
    const applied = plan(differences, scriptStatements);
    for (const statement of applied) await runStatement(tx, statement);
    await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (blueprint, checksum, statements) VALUES ($1, $2, $3)`, [
      model.name,
      checksum,
      JSON.stringify(applied),
    ]);
    return { status: 'applied', checksum, differences, statements: applied };
  });
}

/**
 * The statements to run, in order: changes to existing columns first, then the schema script
 * with each existing table's missing constraints right after its (no-op) CREATE TABLE — before
 * the comments that name them, after the tables they reference.
 */
function plan(differences: readonly SchemaDifference[], script: readonly SchemaStatement[]): string[] {
  const statements = differences.flatMap((difference) => difference.before ?? []);
  for (const statement of script) {
    statements.push(statement.sql);
    if (statement.kind !== 'table') continue;
    for (const difference of differences) {
      if (difference.table === statement.name) statements.push(...(difference.after ?? []));
    }
  }
  return statements;
}

async function lastChecksum(db: Queryable, blueprint: string): Promise<string | undefined> {
  const { rows } = await db.query<{ checksum: string }>(
    `SELECT checksum FROM ${MIGRATIONS_TABLE} WHERE blueprint = $1 ORDER BY id DESC LIMIT 1`,
    [blueprint],
  );
  return rows[0]?.checksum;
}

/**
 * True when the last migration recorded for this blueprint applied exactly its current schema:
 * the cheap check behind `GET /ready` (one indexed query, no catalog scan).
 */
export async function isSchemaCurrent(db: Queryable, model: Model): Promise<boolean> {
  const exists = await db.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [
    MIGRATIONS_TABLE,
  ]);
  if (!exists.rows[0]?.found) return false;
  return (await lastChecksum(db, model.name)) === schemaScript(model).checksum;
}
