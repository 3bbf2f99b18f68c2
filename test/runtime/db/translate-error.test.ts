/**
 * Real constraint violations on the flagship schema, on both drivers, become catalog errors that
 * name blueprint fields and carry the blueprint's messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import type { Model } from '../../../src/blueprint/model.js';
import { emitSchemaSql } from '../../../src/design/sql/index.js';
import { ArchitectError } from '../../../src/errors.js';
import { type Driver, translateDatabaseError, withRetry } from '../../../src/runtime/db/index.js';
import { NO_SERVER_REASON } from '../../support/postgres.js';
import { DRIVER_CASES, type OpenedDriver } from './driver-cases.js';

let model: Model;

beforeAll(async () => {
  model = await loadBlueprint('examples/inventory');
});

async function failure(promise: Promise<unknown>): Promise<ArchitectError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the statement should have failed').toBeDefined();
  return translateDatabaseError(error, model);
}

for (const driverCase of DRIVER_CASES) {
  const title = driverCase.isAvailable
    ? driverCase.name
    : `${driverCase.name} (skipped: ${NO_SERVER_REASON})`;
  describe.skipIf(!driverCase.isAvailable)(`database errors become catalog errors: ${title}`, () => {
    let opened: OpenedDriver;
    let driver: Driver;
    let supplierId: string;
    let locationId: string;
    let productId: string;

    beforeAll(async () => {
      opened = await driverCase.open();
      driver = opened.driver;
      await driver.exec(emitSchemaSql(model));
      const insert = async (sql: string, params: unknown[]) =>
        (await driver.query<{ id: string }>(sql, params)).rows[0]!.id;
      supplierId = await insert(`INSERT INTO suppliers (code, name) VALUES ($1, $2) RETURNING id`, [
        'S1',
        'Acme',
      ]);
      locationId = await insert(`INSERT INTO locations (code, name) VALUES ($1, $2) RETURNING id`, [
        'WH1',
        'Main',
      ]);
      productId = await insert(`INSERT INTO products (sku, name) VALUES ($1, $2) RETURNING id`, [
        'SKU-1',
        'Bolt',
      ]);
    });
    afterAll(async () => {
      await opened?.dispose();
    });

    it('unique violation: 409 naming the field', async () => {
      const error = await failure(driver.query(`INSERT INTO products (sku, name) VALUES ('SKU-1', 'Again')`));
      expect(error.code).toBe('UNIQUE_VIOLATION');
      expect(error.status).toBe(409);
      expect(error.message).toBe('A product with this sku already exists');
      expect(error.details).toEqual([{ field: 'sku', code: 'unique', message: 'is already taken' }]);
    });

    it('unique violation of a group names every field of the group', async () => {
      await driver.query(
        `INSERT INTO supplier_products (supplier_id, product_id, supplier_sku, unit_cost) VALUES ($1, $2, 'X', 1)`,
        [supplierId, productId],
      );
      const other = (
        await driver.query<{ id: string }>(
          `INSERT INTO products (sku, name) VALUES ('SKU-2', 'Nut') RETURNING id`,
        )
      ).rows[0]!.id;
      const error = await failure(
        driver.query(
          `INSERT INTO supplier_products (supplier_id, product_id, supplier_sku, unit_cost) VALUES ($1, $2, 'X', 1)`,
          [supplierId, other],
        ),
      );
      expect(error.code).toBe('UNIQUE_VIOLATION');
      expect(error.message).toBe('A supplier product with this supplierId and supplierSku already exists');
    });

    it('reference to a missing row: names the field', async () => {
      const error = await failure(
        driver.query(
          `INSERT INTO purchase_orders (number, supplier_id, destination_id) VALUES ('PO-1', $1, $2)`,
          ['0190b3a2-8f3e-7c4d-9a1b-123456789abc', locationId],
        ),
      );
      expect(error.code).toBe('REFERENCE_VIOLATION');
      expect(error.status).toBe(409);
      expect(error.message).toBe('The supplier referenced by supplierId does not exist');
      expect(error.details).toEqual([
        { field: 'supplierId', code: 'reference', message: 'no supplier with this key' },
      ]);
    });

    it('deleting a row still referenced: names the referencing entity', async () => {
      await driver.query(
        `INSERT INTO purchase_orders (number, supplier_id, destination_id) VALUES ('PO-2', $1, $2)`,
        [supplierId, locationId],
      );
      const raw = await driver.query('DELETE FROM locations WHERE id = $1', [locationId]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      // ON DELETE RESTRICT: PostgreSQL 18 (PGlite) raises 23001 restrict_violation, 15-17 raise 23503
      expect((raw as { code?: string }).code).toBe(driverCase.name === 'pglite' ? '23001' : '23503');
      const error = translateDatabaseError(raw, model);
      expect(error.code).toBe('REFERENCE_VIOLATION');
      expect(error.status).toBe(409);
      expect(error.message).toBe('The location is still referenced by purchase order rows (destinationId)');
      expect(error.details).toEqual([
        { field: 'destinationId', code: 'referenced', message: 'still referenced by purchase order' },
      ]);
    });

    it('missing required value: 422 for the field', async () => {
      const error = await failure(driver.query(`INSERT INTO suppliers (code) VALUES ('S2')`));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.status).toBe(422);
      expect(error.details).toEqual([{ field: 'name', code: 'required', message: 'is required' }]);
    });

    it("named check: 422 with the blueprint's message", async () => {
      const error = await failure(
        driver.query(`INSERT INTO locations (code, name, kind) VALUES ('SUB', 'Shelf', 'sublocation')`),
      );
      expect(error.code).toBe('CHECK_VIOLATION');
      expect(error.status).toBe(422);
      expect(error.message).toBe('A sublocation needs a parent location');
      // the check reads two columns: both are named
      expect(error.details).toEqual(
        ['kind', 'parentId'].map((field) =>
          expect.objectContaining({
            field,
            code: 'check',
            check: 'sublocation_has_parent',
            message: 'A sublocation needs a parent location',
          }),
        ),
      );
    });

    it('check generated from a field option names that field', async () => {
      const error = await failure(
        driver.query(`INSERT INTO suppliers (code, name, lead_time_days) VALUES ('S3', 'Late', -1)`),
      );
      expect(error.code).toBe('CHECK_VIOLATION');
      expect(error.details).toEqual([expect.objectContaining({ field: 'leadTimeDays', code: 'check' })]);
    });

    it('changing an append-only row: 405', async () => {
      await driver.query(
        `INSERT INTO stock_movements (product_id, location_id, qty_delta, qty_after, reason, source) VALUES ($1, $2, 5, 5, 'receipt', 'r1')`,
        [productId, locationId],
      );
      const update = await failure(driver.query(`UPDATE stock_movements SET note = 'x'`));
      expect(update.code).toBe('METHOD_NOT_ALLOWED');
      expect(update.status).toBe(405);
      expect(update.message).toBe('PATCH is not allowed on /api/v1/stock-movements');
      const remove = await failure(driver.query('DELETE FROM stock_movements'));
      expect(remove.message).toBe('DELETE is not allowed on /api/v1/stock-movements');
    });

    it('a value the column type rejects: 422', async () => {
      const error = await failure(driver.query(`SELECT $1::uuid`, ['not-a-uuid']));
      expect(error.code).toBe('VALIDATION_FAILED');
    });

    it('an unknown failure: 500 INTERNAL with the cause kept, not shown', async () => {
      const error = await failure(driver.query('SELECT * FROM no_such_table'));
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toBe('Internal error');
      expect(error.cause).toBeDefined();
    });

    it('withRetry runs the transaction again after a serialization failure', async () => {
      let attempts = 0;
      const result = await withRetry(
        driver,
        async (tx) => {
          attempts += 1;
          if (attempts < 3) {
            await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'collided' USING ERRCODE = '40001'; END $$`);
          }
          return (await tx.query<{ n: number }>('SELECT 1::int4 AS n')).rows[0]!.n;
        },
        { baseDelayMs: 1 },
      );
      expect(result).toBe(1);
      expect(attempts).toBe(3);
    });

    it('withRetry gives up after its attempts; the error becomes 503 with Retry-After', async () => {
      let attempts = 0;
      const outcome = withRetry(
        driver,
        async (tx) => {
          attempts += 1;
          await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$`);
        },
        { attempts: 2, baseDelayMs: 1 },
      );
      const error = await failure(outcome);
      expect(attempts).toBe(2);
      expect(error.code).toBe('SERVICE_UNAVAILABLE');
      expect(error.status).toBe(503);
      expect(error.headers).toEqual({ 'retry-after': '1' });
    });

    it('withRetry does not retry other errors', async () => {
      let attempts = 0;
      await expect(
        withRetry(driver, async (tx) => {
          attempts += 1;
          await tx.query('SELECT * FROM no_such_table');
        }),
      ).rejects.toMatchObject({ code: '42P01' });
      expect(attempts).toBe(1);
    });
  });
}

describe('errors that are not from the database', () => {
  it('keeps an ArchitectError as it is', () => {
    const original = new ArchitectError('NOT_FOUND', { resource: 'Product' });
    expect(translateDatabaseError(original, model)).toBe(original);
  });

  it('restrict_violation (23001) is a 409 naming the referencing relation, whatever its wording', () => {
    const restricted = Object.assign(new Error('restricted'), {
      code: '23001',
      table: 'purchase_orders',
      constraint: 'purchase_orders_supplier_id_fkey',
    });
    const error = translateDatabaseError(restricted, model);
    expect(error.code).toBe('REFERENCE_VIOLATION');
    expect(error.status).toBe(409);
    expect(error.message).toBe('The supplier is still referenced by purchase order rows (supplierId)');
    expect(error.details).toEqual([
      { field: 'supplierId', code: 'referenced', message: 'still referenced by purchase order' },
    ]);
  });

  it('answers 503 when the server cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = translateDatabaseError(refused, model);
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.headers).toEqual({ 'retry-after': '1' });
  });
});
