/**
 * Start-up migrations on both drivers: a fresh database gets the schema once, a second run does
 * nothing, additive blueprint changes are applied without losing rows, and changes start-up
 * cannot make safely are refused with every difference listed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import type { Model } from '../../../src/blueprint/model.js';
import { ArchitectError } from '../../../src/errors.js';
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import {
  isSchemaCurrent,
  MIGRATIONS_TABLE,
  migrateDatabase,
  type SchemaDifference,
} from '../../../src/runtime/migrate/index.js';
import { NO_SERVER_REASON } from '../../support/postgres.js';
import { DRIVER_CASES, type OpenedDriver } from '../db/driver-cases.js';

let folder: string;
let flagshipText: string;

/** The flagship blueprint with text replacements applied, loaded from its own folder. */
async function variant(name: string, edits: readonly [string, string][]): Promise<Model> {
  let text = flagshipText;
  for (const [from, to] of edits) {
    expect(text, `the flagship still contains ${from}`).toContain(from);
    text = text.replace(from, to);
  }
  const file = join(folder, `${name}.yaml`);
  await writeFile(file, text);
  return loadBlueprint(file);
}

async function migrationRows(driver: Driver): Promise<{ blueprint: string; checksum: string }[]> {
  return (
    await driver.query<{ blueprint: string; checksum: string }>(
      `SELECT blueprint, checksum FROM ${MIGRATIONS_TABLE} ORDER BY id`,
    )
  ).rows;
}

async function refusal(promise: Promise<unknown>): Promise<ArchitectError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ArchitectError);
  return error as ArchitectError;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'architect-migrate-'));
  flagshipText = await readFile('examples/inventory/blueprint.yaml', 'utf8');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

for (const driverCase of DRIVER_CASES) {
  const title = driverCase.isAvailable
    ? driverCase.name
    : `${driverCase.name} (skipped: ${NO_SERVER_REASON})`;
  describe.skipIf(!driverCase.isAvailable)(`start-up migrations: ${title}`, () => {
    let opened: OpenedDriver;
    let driver: Driver;
    let model: Model;

    beforeAll(async () => {
      opened = await driverCase.open();
      driver = opened.driver;
      model = await loadBlueprint('examples/inventory');
    });
    afterAll(async () => {
      await opened?.dispose();
    });

    it('applies the whole schema to a fresh database and records it once', async () => {
      expect(await isSchemaCurrent(driver, model)).toBe(false);
      const result = await migrateDatabase(driver, model);
      expect(result.status).toBe('applied');
      expect(result.differences.map((difference) => difference.kind)).toContain('missing_table');
      const { rows } = await driver.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
      );
      const tables = rows.map((row) => row.table_name);
      for (const entity of model.entities) expect(tables).toContain(entity.table);
      expect(await migrationRows(driver)).toEqual([{ blueprint: 'inventory', checksum: result.checksum }]);
      expect(await isSchemaCurrent(driver, model)).toBe(true);
    });

    it('does nothing the second time', async () => {
      const result = await migrateDatabase(driver, model);
      expect(result).toMatchObject({ status: 'current', differences: [], statements: [] });
      expect(await migrationRows(driver)).toHaveLength(1);
    });

    it('repairs a missing index or trigger', async () => {
      await driver.exec(
        'DROP INDEX products_sku_key; DROP TRIGGER stock_movements_append_only ON stock_movements;',
      );
      const result = await migrateDatabase(driver, model);
      expect(result.status).toBe('applied');
      expect(result.differences.map((difference) => `${difference.kind} ${difference.name}`)).toEqual(
        expect.arrayContaining([
          'missing_object products_sku_key',
          'missing_object stock_movements_append_only',
        ]),
      );
      const { rowCount } = await driver.query(
        `SELECT 1 FROM pg_indexes WHERE indexname = 'products_sku_key'`,
      );
      expect(rowCount).toBe(1);
      expect((await migrateDatabase(driver, model)).status).toBe('current');
    });

    it('applies additive changes and keeps the rows', async () => {
      await driver.query(`INSERT INTO suppliers (code, name) VALUES ('KEEP', 'Kept supplier')`);
      const grown = await variant('grown', [
        // a new optional column, a new column with a default, a new check, a new entity
        [
          '      lead_time_days: { type: integer, min: 0, optional: true }',
          '      lead_time_days: { type: integer, min: 0, optional: true }\n      website: { type: url, optional: true }\n      rating: { type: integer, default: 3, min: 1, max: 5 }',
        ],
        [
          '  product:\n',
          '  warehouse_zone:\n    fields:\n      code: { type: string, max: 16, unique: true }\n    access: { read: authenticated, write: [admin] }\n\n  product:\n',
        ],
      ]);
      const result = await migrateDatabase(driver, grown);
      expect(result.status).toBe('applied');
      const kinds = result.differences.map(
        (difference) => `${difference.kind} ${difference.table}.${difference.name ?? ''}`,
      );
      expect(kinds).toEqual(
        expect.arrayContaining([
          'missing_column suppliers.website',
          'missing_column suppliers.rating',
          'missing_constraint suppliers.suppliers_rating_min',
          'missing_table warehouse_zones.',
        ]),
      );
      // the check was added NOT VALID, then validated
      expect(result.statements).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/ADD CONSTRAINT suppliers_rating_min CHECK .* NOT VALID;$/),
          'ALTER TABLE suppliers VALIDATE CONSTRAINT suppliers_rating_min;',
        ]),
      );
      const kept = await driver.query(`SELECT name, rating FROM suppliers WHERE code = 'KEEP'`);
      expect(kept.rows).toEqual([{ name: 'Kept supplier', rating: 3 }]);
      const validated = await driver.query<{ convalidated: boolean }>(
        `SELECT convalidated FROM pg_constraint WHERE conname = 'suppliers_rating_min'`,
      );
      expect(validated.rows).toEqual([{ convalidated: true }]);
      expect(await migrationRows(driver)).toHaveLength(3);
      expect(await isSchemaCurrent(driver, grown)).toBe(true);
      expect((await migrateDatabase(driver, grown)).status).toBe('current');
    });

    it('refuses unsafe changes, listing each with its reason, and changes nothing', async () => {
      const before = await migrationRows(driver);
      const unsafe = await variant('unsafe', [
        // the grown supplier without `website` (dropped), with `email` required (tightened),
        // and `lead_time_days` as a decimal (type change)
        ['      email: { type: email, optional: true }', '      email: { type: email }'],
        [
          '      lead_time_days: { type: integer, min: 0, optional: true }',
          '      lead_time_days: { type: decimal, precision: 6, scale: 1, min: 0, optional: true }\n      rating: { type: integer, default: 3, min: 1, max: 5 }',
        ],
        [
          '  product:\n',
          '  warehouse_zone:\n    fields:\n      code: { type: string, max: 16, unique: true }\n    access: { read: authenticated, write: [admin] }\n\n  product:\n',
        ],
      ]);
      const error = await refusal(migrateDatabase(driver, unsafe));
      expect(error.code).toBe('SCHEMA_DRIFT');
      const differences = error.details as SchemaDifference[];
      expect(
        differences.map((difference) => `${difference.kind} ${difference.table}.${difference.name}`).sort(),
      ).toEqual([
        'extra_column suppliers.website',
        'nullability_tightened suppliers.email',
        'type_changed suppliers.lead_time_days',
      ]);
      expect(differences.find((difference) => difference.kind === 'type_changed')).toMatchObject({
        expected: 'numeric(6,1)',
        actual: 'integer',
      });
      expect(error.message).toContain('suppliers.website exists in the database but not in the blueprint');
      expect(error.message).toContain(
        'suppliers.email is optional in the database but required in the blueprint',
      );
      expect(error.message).toContain('suppliers.lead_time_days is integer in the database but numeric(6,1)');
      expect(await migrationRows(driver)).toEqual(before);
    });

    it('refuses a new required column without a default on a table holding rows', async () => {
      const required = await variant('required', [
        [
          '      lead_time_days: { type: integer, min: 0, optional: true }',
          '      lead_time_days: { type: integer, min: 0, optional: true }\n      website: { type: url, optional: true }\n      rating: { type: integer, default: 3, min: 1, max: 5 }\n      tax_id: { type: string, max: 20 }',
        ],
        [
          '  product:\n',
          '  warehouse_zone:\n    fields:\n      code: { type: string, max: 16, unique: true }\n    access: { read: authenticated, write: [admin] }\n\n  product:\n',
        ],
      ]);
      const error = await refusal(migrateDatabase(driver, required));
      expect(error.code).toBe('SCHEMA_DRIFT');
      expect(error.details).toEqual([
        expect.objectContaining({
          kind: 'required_column_on_filled_table',
          table: 'suppliers',
          name: 'tax_id',
        }),
      ]);
    });
  });
}

describe.skipIf(!DRIVER_CASES[1]!.isAvailable)(
  `two instances migrating one server at once${DRIVER_CASES[1]!.isAvailable ? '' : ` (skipped: ${NO_SERVER_REASON})`}`,
  () => {
    it('applies the schema once; the other waits and finds it current', async () => {
      const opened = await DRIVER_CASES[1]!.open();
      const second = await createDriver({ databaseUrl: opened.databaseUrl, poolSize: 2 });
      try {
        const model = await loadBlueprint('examples/inventory');
        const results = await Promise.all([
          migrateDatabase(opened.driver, model),
          migrateDatabase(second, model),
        ]);
        expect(results.map((result) => result.status).sort()).toEqual(['applied', 'current']);
        expect(await migrationRows(opened.driver)).toHaveLength(1);
      } finally {
        await second.close();
        await opened.dispose();
      }
    });
  },
);
