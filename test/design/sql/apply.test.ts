/**
 * schema.sql is applied by its real consumers, PGlite and the PostgreSQL server: it applies
 * cleanly, applies a second time without error and without changing anything, and the catalog
 * then holds exactly what the model describes (types, nullability, named checks with their
 * messages, indexes, one index leading with every foreign key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../../src/blueprint/index.js';
import { functionStatements } from '../../../src/design/sql/functions.js';
import {
  emitDropSql,
  emitSchemaSql,
  schemaStatements,
  UUID_V7_FUNCTION,
} from '../../../src/design/sql/index.js';
import {
  catalogSnapshot,
  checkConstraints,
  columns,
  foreignKeyNames,
  indexes,
  publicTables,
  unindexedForeignKeys,
} from './support/catalog.js';
import { DRIVERS, resetSchema, type TestDatabase } from './support/databases.js';
import { loadTestModels } from './support/models.js';

const models = await loadTestModels();

/** How format_type() prints the model's type names where they differ. */
const CATALOG_TYPE: Record<string, string> = { timestamptz: 'timestamp with time zone' };

for (const driver of DRIVERS) {
  describe.skipIf(driver.skipReason !== undefined)(
    `schema.sql applies on ${driver.name}${driver.skipReason ? ` (skipped: ${driver.skipReason})` : ''}`,
    () => {
      let db: TestDatabase;
      beforeAll(async () => {
        db = await driver.open();
      });
      afterAll(async () => db?.close());

      for (const { label, model } of models) {
        describe(label, () => defineApplyCases(model, () => db));
      }
    },
  );
}

function defineApplyCases(model: Model, database: () => TestDatabase) {
  let db: TestDatabase;
  let firstRun: string[];
  const script = emitSchemaSql(model);
  const statements = schemaStatements(model);

  beforeAll(async () => {
    db = database();
    await resetSchema(db);
    await db.exec(script);
    firstRun = await catalogSnapshot(db);
  });

  it('applies a second time in a row without error and without changing anything', async () => {
    expect(firstRun.some((line) => line.startsWith('trigger '))).toBe(true);
    expect(firstRun.some((line) => line.startsWith('comment '))).toBe(true);
    await db.exec(script);
    expect(await catalogSnapshot(db)).toEqual(firstRun);
  });

  it('creates exactly the tables of the statements', async () => {
    const expected = statements
      .filter((statement) => statement.kind === 'table')
      .map((statement) => statement.name);
    expect(await publicTables(db)).toEqual([...expected].sort());
  });

  it('gives every column the model type and nullability', async () => {
    const actual = await columns(db);
    for (const entity of model.entities) {
      for (const field of entity.fields) {
        expect(actual.get(`${entity.table}.${field.column}`), `${entity.table}.${field.column}`).toEqual({
          type: CATALOG_TYPE[field.sqlType] ?? field.sqlType,
          nullable: field.nullable,
        });
      }
    }
  });

  it('declares every check under its model name, commented with its message', async () => {
    const actual = await checkConstraints(db);
    for (const entity of model.entities) {
      for (const check of entity.checks) {
        expect(actual.get(check.constraint), check.constraint).toBe(check.message);
      }
    }
  });

  it('creates every index of the model, unique and partial as declared', async () => {
    const actual = await indexes(db);
    for (const entity of model.entities) {
      for (const index of entity.indexes) {
        const found = actual.get(index.name);
        expect(found, index.name).toMatchObject({ table: entity.table, unique: index.unique });
        if (index.where) expect(found!.definition).toContain('WHERE');
      }
    }
  });

  it('declares every foreign key of the model, each the leading column of an index', async () => {
    const declared = await foreignKeyNames(db);
    for (const entity of model.entities) {
      for (const field of entity.fields.filter((candidate) => candidate.reference)) {
        expect(declared).toContain(field.reference!.constraint);
      }
    }
    expect(declared.length).toBeGreaterThan(0);
    expect(await unindexedForeignKeys(db)).toEqual([]);
  });

  it('drops cleanly with emitDropSql and applies again', async () => {
    await db.exec(emitDropSql(model));
    expect(await publicTables(db)).toEqual([]);
    expect(await catalogSnapshot(db)).toEqual([]);
    await db.exec(script);
    expect(await catalogSnapshot(db)).toEqual(firstRun);
  });
}

for (const driver of DRIVERS) {
  describe.skipIf(driver.skipReason !== undefined)(
    `UUID v7 keys on ${driver.name}${driver.skipReason ? ` (skipped: ${driver.skipReason})` : ''}`,
    () => {
      let db: TestDatabase;
      beforeAll(async () => {
        db = await driver.open();
        await resetSchema(db);
        for (const statement of functionStatements()) await db.exec(statement.sql);
      });
      afterAll(async () => db?.close());

      it('increase in creation order within a session, even within one tick of the clock', async () => {
        // 5,000 keys in one statement: far more than one per millisecond (PGlite's clock) or
        // microsecond (the server's).
        const made = (
          await db.query(
            `SELECT id FROM (SELECT n, ${UUID_V7_FUNCTION}()::text AS id FROM generate_series(1, 5000) n) keys ORDER BY n`,
          )
        ).map((row) => row.id as string);
        expect(new Set(made).size).toBe(5000);
        expect(made).toEqual([...made].sort());
        const [next] = await db.query(`SELECT ${UUID_V7_FUNCTION}()::text AS id`);
        expect((next!.id as string) > made[made.length - 1]!).toBe(true);
        for (const id of [made[0]!, next!.id as string]) {
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          // the first 48 bits are Unix milliseconds: now, give or take the carries
          const millis = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
          expect(Math.abs(millis - Date.now())).toBeLessThan(60_000);
        }
      });
    },
  );
}
