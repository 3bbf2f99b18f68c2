import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeleteQuery,
  buildInsertQuery,
  buildReadQuery,
  buildTransitionQuery,
  buildUpdateQuery,
} from '../../../src/runtime/query/index.js';
import { createFixture, type Fixture } from './support.js';

const origin = { actor: 'tester', requestId: 'req-1' };

describe('item statements on PGlite with the flagship schema', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await createFixture();
  });
  afterAll(async () => {
    await fixture.driver.close();
  });

  it('inserts, reads with JSON property names, updates with a version check and soft deletes', async () => {
    const products = fixture.plan('product');
    const insert = buildInsertQuery(products, { sku: 'A-1', name: 'Anvil', reorderPoint: 2.5 }, [], {
      audit: origin,
    });
    const created = (await fixture.driver.query(insert.text, insert.values)).rows[0]!;
    expect(created).toMatchObject({
      sku: 'A-1',
      name: 'Anvil',
      reorderPoint: '2.5000',
      version: 1,
      uom: 'ea',
    });
    expect(Object.keys(created)).toContain('allowNegativeStock');

    const read = buildReadQuery(products, [created.id]);
    expect((await fixture.driver.query(read.text, read.values)).rows).toEqual([created]);

    const stale = buildUpdateQuery(products, [created.id], { name: 'Stale' }, 7, { audit: origin });
    expect((await fixture.driver.query(stale.text, stale.values)).rows).toEqual([]);
    const update = buildUpdateQuery(products, [created.id], { name: 'Big anvil' }, 1, { audit: origin });
    const updated = (await fixture.driver.query(update.text, update.values)).rows[0]!;
    expect(updated).toMatchObject({ name: 'Big anvil', version: 2 });

    const remove = buildDeleteQuery(products, [created.id], undefined, { audit: origin });
    expect((await fixture.driver.query(remove.text, remove.values)).rowCount).toBe(1);
    expect((await fixture.driver.query(read.text, read.values)).rows).toEqual([]);

    const audit = await fixture.driver.query<{
      action: string;
      before: unknown;
      after: unknown;
      actor: string;
    }>("SELECT action, actor, before, after FROM audit_log WHERE entity = 'product' ORDER BY id");
    expect(audit.rows.map((row) => row.action)).toEqual(['create', 'update', 'delete']);
    expect(audit.rows[1]!.before).toMatchObject({ name: 'Anvil', version: 1 });
    expect(audit.rows[1]!.after).toMatchObject({ name: 'Big anvil', version: 2 });
    expect(audit.rows[2]!.after).toBeNull();
  });

  it('moves a lifecycle only from an allowed state and records history', async () => {
    const { driver } = fixture;
    const supplier = buildInsertQuery(fixture.plan('supplier'), { code: 'S1', name: 'Acme' }, []);
    const location = buildInsertQuery(fixture.plan('location'), { code: 'L1', name: 'Main' }, []);
    const supplierId = (await driver.query(supplier.text, supplier.values)).rows[0]!.id;
    const locationId = (await driver.query(location.text, location.values)).rows[0]!.id;
    const orders = fixture.plan('purchase_order');
    const insert = buildInsertQuery(orders, { number: 'PO-1', supplierId, destinationId: locationId }, [], {
      audit: origin,
    });
    const order = (await driver.query(insert.text, insert.values)).rows[0]!;
    expect(order.status).toBe('draft');
    const lifecycle = orders.entity.lifecycle!;
    const submit = lifecycle.transitions.find((transition) => transition.name === 'submit')!;
    const query = buildTransitionQuery(orders, submit, [order.id], {
      ...origin,
      expectedVersion: 1,
      audit: origin,
    });
    const moved = (await driver.query(query.text, query.values)).rows[0]!;
    expect(moved).toMatchObject({ status: 'submitted', version: 2 });
    const again = buildTransitionQuery(orders, submit, [order.id], origin);
    expect((await driver.query(again.text, again.values)).rows).toEqual([]);
    const history = await driver.query(
      'SELECT from_state, to_state, transition, actor FROM purchase_order_status_history ORDER BY id',
    );
    expect(history.rows).toEqual([
      { from_state: null, to_state: 'draft', transition: 'create', actor: 'tester' },
      { from_state: 'draft', to_state: 'submitted', transition: 'submit', actor: 'tester' },
    ]);
  });
});
