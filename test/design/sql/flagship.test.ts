/**
 * Hand-written cases on the flagship (examples/inventory) for behaviour the runtime and users
 * rely on by name: the blueprint's own checks, the ledger refusing changes, soft delete freeing
 * a SKU, UUID v7 keys, the version/updated_at touch, computed and search columns, the status
 * history and the audit log.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEntity, loadBlueprint } from '../../../src/blueprint/index.js';
import { APPEND_ONLY_SQLSTATE, emitSchemaSql } from '../../../src/design/sql/index.js';
import { DRIVERS, type Row, sqlError, type TestDatabase } from './support/databases.js';
import { REPOSITORY_ROOT } from './support/models.js';
import { RowFactory } from './support/rows.js';

const model = await loadBlueprint(path.join(REPOSITORY_ROOT, 'examples/inventory'));
const entity = (name: string) => getEntity(model, name);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const driver of DRIVERS) {
  describe.skipIf(driver.skipReason !== undefined)(
    `flagship schema on ${driver.name}${driver.skipReason ? ` (skipped: ${driver.skipReason})` : ''}`,
    () => {
      let db: TestDatabase;
      let rows: RowFactory;
      beforeAll(async () => {
        db = await driver.open();
        await db.exec(emitSchemaSql(model));
        rows = new RowFactory(model, db);
      });
      afterAll(async () => db?.close());

      const one = async (text: string, params: unknown[] = []): Promise<Row> =>
        (await db.query(text, params))[0]!;

      it('refuses a sublocation without a parent, naming locations_sublocation_has_parent', async () => {
        const error = await sqlError(
          db.query(`INSERT INTO locations (code, name, kind) VALUES ('SUB-1', 'Shelf', 'sublocation')`),
        );
        expect(error).toMatchObject({ code: '23514', constraint: 'locations_sublocation_has_parent' });
        const comment = await one(
          `SELECT obj_description(oid, 'pg_constraint') AS message FROM pg_constraint WHERE conname = $1`,
          ['locations_sublocation_has_parent'],
        );
        expect(comment.message).toBe('A sublocation needs a parent location');
      });

      it('accepts a sublocation under a parent', async () => {
        const parent = await rows.insertValid(entity('location'));
        const error = await sqlError(
          db.query(
            `INSERT INTO locations (code, name, kind, parent_id) VALUES ('SUB-2', 'Shelf', 'sublocation', $1)`,
            [parent.id],
          ),
        );
        expect(error).toBeUndefined();
      });

      it('refuses a stock movement with qty_delta 0', async () => {
        const movement = await rows.validValues(entity('stock_movement'));
        const error = await rows.tryInsert(entity('stock_movement'), { ...movement, qty_delta: '0' });
        expect(error).toMatchObject({ code: '23514', constraint: 'stock_movements_qty_delta_not' });
      });

      it(`refuses UPDATE and DELETE on the stock ledger with SQLSTATE ${APPEND_ONLY_SQLSTATE}`, async () => {
        const movement = await rows.insertValid(entity('stock_movement'), { qty_delta: '5', qty_after: '5' });
        const update = await sqlError(
          db.query(`UPDATE stock_movements SET qty_delta = 6 WHERE id = $1`, [movement.id]),
        );
        expect(update).toMatchObject({
          code: APPEND_ONLY_SQLSTATE,
          constraint: 'stock_movements_append_only',
          table: 'stock_movements',
        });
        expect(update!.message).toContain('append-only');
        const remove = await sqlError(db.query(`DELETE FROM stock_movements WHERE id = $1`, [movement.id]));
        expect(remove).toMatchObject({ code: APPEND_ONLY_SQLSTATE });
        expect(
          String((await one(`SELECT qty_delta FROM stock_movements WHERE id = $1`, [movement.id])).qty_delta),
        ).toBe('5.0000');
      });

      it('numbers ledger rows with an identity that refuses client-chosen ids', async () => {
        const movement = await rows.validValues(entity('stock_movement'));
        const error = await rows.tryInsert(entity('stock_movement'), { ...movement, id: 42 });
        expect(error?.code).toBe('428C9'); // generated_always
      });

      it('frees a soft-deleted product sku for reuse, but not a live one', async () => {
        const product = await rows.insertValid(entity('product'), { sku: 'SKU-REUSE' });
        const duplicate = await sqlError(
          db.query(`INSERT INTO products (sku, name) VALUES ('SKU-REUSE', 'Copy')`),
        );
        expect(duplicate).toMatchObject({ code: '23505', constraint: 'products_sku_key' });
        await db.query(`UPDATE products SET deleted_at = now() WHERE id = $1`, [product.id]);
        const reused = await sqlError(
          db.query(`INSERT INTO products (sku, name) VALUES ('SKU-REUSE', 'Successor')`),
        );
        expect(reused).toBeUndefined();
      });

      it('keys rows with RFC 9562 version 7 UUIDs that sort by creation time', async () => {
        const ids: string[] = [];
        for (let index = 0; index < 5; index += 1) {
          ids.push(String((await rows.insertValid(entity('supplier'))).id));
          await pause(3); // PGlite's clock ticks in milliseconds; spread the rows over distinct ones
        }
        for (const id of ids)
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect([...ids].sort()).toEqual(ids);
        const { ordered } = await one(
          `SELECT array_agg(id ORDER BY id)::text[] = $1::text[] AS ordered FROM suppliers WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        expect(ordered).toBe(true);
        // The first 48 bits are the creation time in Unix milliseconds.
        const { drift } = await one(
          `SELECT abs(extract(epoch FROM now()) * 1000 - ('x' || substr(replace($1, '-', ''), 1, 12))::bit(48)::bigint) AS drift`,
          [ids.at(-1)],
        );
        expect(Number(drift)).toBeLessThan(60_000);
      });

      it('bumps version and updated_at on a raw UPDATE, by exactly one', async () => {
        const supplier = await rows.insertValid(entity('supplier'));
        await db.query(`UPDATE suppliers SET updated_at = '2000-01-01Z' WHERE id = $1`, [supplier.id]);
        const after = await one(
          `UPDATE suppliers SET name = 'Renamed', version = 41 WHERE id = $1 RETURNING version, updated_at > '2000-01-01Z' AS moved`,
          [supplier.id],
        );
        expect({ version: Number(after.version), moved: after.moved }).toEqual({ version: 3, moved: true });
      });

      it('computes stock_levels.available from on_hand and reserved', async () => {
        const level = await rows.insertValid(entity('stock_level'), { on_hand: '10', reserved: '3.5' });
        expect(String(level.available)).toBe('6.5000');
        const refused = await sqlError(
          db.query(`UPDATE stock_levels SET available = 1 WHERE product_id = $1`, [level.product_id]),
        );
        expect(refused?.code).toBe('428C9');
      });

      it('finds products through search_vector', async () => {
        await rows.insertValid(entity('product'), { sku: 'SKU-GIZMO', name: 'Blue gizmo bracket' });
        const found = await db.query(
          `SELECT sku FROM products WHERE search_vector @@ plainto_tsquery('simple', 'gizmo bracket')`,
        );
        expect(found).toEqual([{ sku: 'SKU-GIZMO' }]);
      });

      it('records purchase order status history, refuses invalid states and updates, and cascades deletes', async () => {
        const order = await rows.insertValid(entity('purchase_order'));
        expect(order.status).toBe('draft');
        await db.query(`UPDATE purchase_orders SET status = 'submitted' WHERE id = $1`, [order.id]);
        await db.query(
          `INSERT INTO purchase_order_status_history (purchase_order_id, from_state, to_state, transition, actor, request_id)
           VALUES ($1, 'draft', 'submitted', 'submit', 'user-1', 'req-1')`,
          [order.id],
        );
        const invalid = await sqlError(
          db.query(
            `INSERT INTO purchase_order_status_history (purchase_order_id, from_state, to_state, transition)
             VALUES ($1, 'draft', 'shipped', 'ship')`,
            [order.id],
          ),
        );
        expect(invalid).toMatchObject({
          code: '23514',
          constraint: 'purchase_order_status_history_to_state_enum',
        });
        const rewrite = await sqlError(
          db.query(
            `UPDATE purchase_order_status_history SET reason = 'edited' WHERE purchase_order_id = $1`,
            [order.id],
          ),
        );
        expect(rewrite).toMatchObject({ code: APPEND_ONLY_SQLSTATE });
        await rows.insertValid(entity('purchase_order_line'), { purchase_order_id: order.id });
        await db.query(`DELETE FROM purchase_orders WHERE id = $1`, [order.id]);
        const left = await one(
          `SELECT (SELECT count(*) FROM purchase_order_status_history WHERE purchase_order_id = $1)
                + (SELECT count(*) FROM purchase_order_lines WHERE purchase_order_id = $1) AS count`,
          [order.id],
        );
        expect(Number(left.count)).toBe(0);
      });

      it('keeps the audit log append-only', async () => {
        const entry = await one(
          `INSERT INTO audit_log (entity, entity_id, action, actor, request_id, after)
           VALUES ('product', 'p-1', 'create', 'user-1', 'req-1', '{"sku": "X"}') RETURNING id`,
        );
        const badAction = await sqlError(
          db.query(
            `INSERT INTO audit_log (entity, entity_id, action) VALUES ('product', 'p-1', 'Drop Table')`,
          ),
        );
        expect(badAction).toMatchObject({ code: '23514', constraint: 'audit_log_action_format' });
        for (const statement of [
          `UPDATE audit_log SET actor = 'someone-else' WHERE id = ${Number(entry.id)}`,
          `DELETE FROM audit_log WHERE id = ${Number(entry.id)}`,
          'TRUNCATE audit_log',
        ]) {
          expect(await sqlError(db.query(statement))).toMatchObject({
            code: APPEND_ONLY_SQLSTATE,
            table: 'audit_log',
          });
        }
      });
    },
  );
}
