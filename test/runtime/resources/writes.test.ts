/**
 * Writes through real requests on both drivers: 1,000-item bulk requests in a handful of
 * set-based statements (counted at the driver), atomic all-or-nothing with the audit trail
 * rolled back alongside, a row still referenced refusing its delete, retries of serialization
 * failures and deadlocks ending in 503 with Retry-After, request ids recorded in history and
 * audit, and Idempotency-Key on every kind of POST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DRIVERS, type Harness } from './harness.js';
import { countStatements, type StatementCounter } from './statement-counter.js';

type Row = Record<string, unknown>;

/** Statements a 1,000-item bulk request may take: set-based, never one per item. */
const HANDFUL = 8;

describe.each(DRIVERS)('writes on %s', (kind) => {
  let api: Harness;
  let counter: StatementCounter;
  let supplierId: string;
  let locationId: string;

  async function auditCount(): Promise<number> {
    const { rows } = await api.driver.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity = 'product'`,
    );
    return rows[0]!.n;
  }

  beforeAll(async () => {
    api = await createHarness(kind);
    counter = countStatements(api.driver);
    supplierId = (await api.call('POST', '/suppliers', { body: { code: 'W-S', name: 'Writer' } })).body.id;
    locationId = (await api.call('POST', '/locations', { body: { code: 'W-L', name: 'Dock' } })).body.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('bulk create, update, upsert and delete 1,000 items each in a handful of statements', async () => {
    const items = Array.from({ length: 1000 }, (_, index) => ({
      sku: `BK-${String(index).padStart(4, '0')}`,
      name: `Bulk ${index}`,
      reorderPoint: String(index % 7),
    }));
    let created: Row[] = [];
    const create = await counter.during(async () => {
      const response = await api.call('POST', '/products/bulk', { body: { operation: 'create', items } });
      expect(response.status).toBe(200);
      expect(response.body.summary).toMatchObject({ total: 1000, succeeded: 1000, created: 1000 });
      created = response.body.results;
    });
    expect(create.length).toBeLessThanOrEqual(HANDFUL);
    expect(await auditCount()).toBe(1000);

    const update = await counter.during(async () => {
      const response = await api.call('POST', '/products/bulk', {
        body: {
          operation: 'update',
          items: created.map((row, index) => ({
            id: row.id,
            version: 1,
            name: `Renamed ${index}`,
            reorderPoint: String(index),
          })),
        },
      });
      expect(response.status).toBe(200);
      expect(response.body.summary).toMatchObject({ succeeded: 1000, updated: 1000 });
    });
    expect(update.length).toBeLessThanOrEqual(HANDFUL);
    // each item got its own values
    const sample = await api.call(
      'GET',
      '/products?sku[in]=BK-0003,BK-0999&sort=sku&fields=name,reorderPoint,version',
    );
    expect(sample.body.data).toEqual([
      expect.objectContaining({ name: 'Renamed 3', reorderPoint: '3.0000', version: 2 }),
      expect.objectContaining({ name: 'Renamed 999', reorderPoint: '999.0000', version: 2 }),
    ]);

    const upsertItems = Array.from({ length: 1000 }, (_, index) => ({
      sku: `BK-${String(index + 500).padStart(4, '0')}`,
      name: `Upserted ${index + 500}`,
    }));
    const upsert = await counter.during(async () => {
      const response = await api.call('POST', '/products/bulk', {
        body: { operation: 'upsert', onConflict: 'sku', items: upsertItems },
      });
      expect(response.status).toBe(200);
      expect(response.body.summary).toMatchObject({ succeeded: 1000, created: 500, updated: 500 });
    });
    expect(upsert.length).toBeLessThanOrEqual(HANDFUL);
    const kept = await api.call('GET', '/products?sku=BK-0600&fields=name,reorderPoint');
    // an upsert changes only the properties the item carries
    expect(kept.body.data[0]).toMatchObject({ name: 'Upserted 600', reorderPoint: '600.0000' });

    const remove = await counter.during(async () => {
      const response = await api.call('POST', '/products/bulk', {
        body: { operation: 'delete', items: created.map((row) => ({ id: row.id })) },
      });
      expect(response.status).toBe(200);
      expect(response.body.summary).toMatchObject({ succeeded: 1000, deleted: 1000 });
    });
    expect(remove.length).toBeLessThanOrEqual(HANDFUL);
    const left = await api.call('GET', '/products?sku[prefix]=BK-&count=true&limit=1');
    expect(left.body.page.count).toBe(500);
  });

  it('an upsert changes only what the item carries: defaults fill new rows, never stored ones', async () => {
    const { body: stored } = await api.call('POST', '/products', {
      body: { sku: 'UP-1', name: 'Stored', uom: 'kg', active: false },
    });
    const response = await api.call('POST', '/products/bulk', {
      body: {
        operation: 'upsert',
        onConflict: 'sku',
        items: [
          { sku: 'UP-1', name: 'Renamed' },
          { sku: 'UP-2', name: 'New' },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect((await api.call('GET', `/products/${stored.id}`)).body).toMatchObject({
      name: 'Renamed',
      uom: 'kg',
      active: false,
      version: 2,
    });
    const created = await api.call('GET', '/products?sku=UP-2');
    expect(created.body.data[0]).toMatchObject({ name: 'New', uom: 'ea', active: true });
  });

  it('atomic bulk: validation failures alone give 422 listing each item; nothing is written', async () => {
    const response = await api.call('POST', '/products/bulk?mode=atomic', {
      body: {
        operation: 'create',
        items: [
          { sku: 'AT-1', name: 'fine' },
          { sku: 'AT-2', name: 'negative', reorderPoint: '-1' },
          { sku: 'AT-3' },
          { sku: 'AT-4', name: 'fine too' },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.map((detail: Row) => detail.index)).toEqual([1, 2]);
    expect((await api.call('GET', '/products?sku[prefix]=AT-')).body.data).toEqual([]);
  });

  it('the audit trail is written in the same transaction: a failed atomic bulk leaves no entries', async () => {
    const before = await auditCount();
    const response = await api.call('POST', '/products/bulk', {
      body: {
        operation: 'create',
        items: [
          { sku: 'AU-OK', name: 'would be audited' },
          { sku: 'BK-1200', name: 'taken: the upsert above created it' },
        ],
      },
    });
    expect(response.status).toBe(409);
    expect(await auditCount()).toBe(before);
    const patched = await api.call('POST', '/products', { body: { sku: 'AU-RID', name: 'Audited' } });
    const update = await api.call('PATCH', `/products/${patched.body.id}`, {
      body: { name: 'Audited again' },
      headers: { 'x-request-id': 'req-audit-0001' },
    });
    expect(update.headers['x-request-id']).toBe('req-audit-0001');
    const trail = await api.call('GET', `/audit?entity=product&entityId=${patched.body.id}`);
    expect(trail.body.data[0]).toMatchObject({
      action: 'update',
      actor: 'anonymous',
      requestId: 'req-audit-0001',
      before: expect.objectContaining({ name: 'Audited' }),
      after: expect.objectContaining({ name: 'Audited again' }),
    });
  });

  it('a transition records actor, states and request id in the history; idempotent replays do not move it twice', async () => {
    const { body: order } = await api.call('POST', '/purchase-orders', {
      body: { number: 'W-PO-1', supplierId, destinationId: locationId },
    });
    const headers = { 'idempotency-key': `submit-${kind}`, 'x-request-id': 'req-submit-0001' };
    const first = await api.call('POST', `/purchase-orders/${order.id}/submit`, { headers });
    expect(first.status).toBe(200);
    const replay = await api.call('POST', `/purchase-orders/${order.id}/submit`, { headers });
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const history = await api.call('GET', `/purchase-orders/${order.id}/history`);
    expect(history.body.data).toHaveLength(2);
    expect(history.body.data[1]).toMatchObject({
      fromState: 'draft',
      toState: 'submitted',
      actor: 'anonymous',
      requestId: 'req-submit-0001',
    });
    // without the key, the same transition is refused from the state it is now in
    const again = await api.call('POST', `/purchase-orders/${order.id}/submit`);
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ state: 'submitted' });
  });

  it('rows made by bulk create and upsert start their status history as a single create does', async () => {
    const history = async (id: string) =>
      (await api.call('GET', `/purchase-orders/${id}/history`)).body.data as Record<string, unknown>[];
    const first = { fromState: null, toState: 'draft', transition: 'create', actor: 'anonymous' };
    const single = await api.call('POST', '/purchase-orders', {
      body: { number: 'W-PO-H0', supplierId, destinationId: locationId },
      headers: { 'x-request-id': 'req-history-0000' },
    });
    expect(await history(single.body.id)).toEqual([
      expect.objectContaining({ ...first, requestId: 'req-history-0000' }),
    ]);
    const created = await api.call('POST', '/purchase-orders/bulk', {
      body: {
        operation: 'create',
        items: ['W-PO-H1', 'W-PO-H2'].map((number) => ({ number, supplierId, destinationId: locationId })),
      },
      headers: { 'x-request-id': 'req-history-0001' },
    });
    expect(created.status).toBe(200);
    for (const result of created.body.results) {
      expect(await history(result.id)).toEqual([
        expect.objectContaining({ ...first, requestId: 'req-history-0001' }),
      ]);
    }
    // an upsert starts the history of the rows it inserts, not of those it updates
    const upserted = await api.call('POST', '/purchase-orders/bulk', {
      body: {
        operation: 'upsert',
        onConflict: 'number',
        items: ['W-PO-H1', 'W-PO-H3'].map((number) => ({
          number,
          supplierId,
          destinationId: locationId,
          notes: 'upserted',
        })),
      },
      headers: { 'x-request-id': 'req-history-0002' },
    });
    expect(upserted.body.results.map((result: { status: number }) => result.status)).toEqual([200, 201]);
    expect(await history(upserted.body.results[0].id)).toEqual([
      expect.objectContaining({ ...first, requestId: 'req-history-0001' }),
    ]);
    expect(await history(upserted.body.results[1].id)).toEqual([
      expect.objectContaining({ ...first, requestId: 'req-history-0002' }),
    ]);
  });

  it('idempotent bulk requests replay their results instead of writing again', async () => {
    const headers = { 'idempotency-key': `bulk-${kind}` };
    const body = { operation: 'create', items: [{ sku: 'ID-1', name: 'once' }] };
    const first = await api.call('POST', '/products/bulk', { body, headers });
    const second = await api.call('POST', '/products/bulk', { body, headers });
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect((await api.call('GET', '/products?sku=ID-1')).body.data).toHaveLength(1);
  });

  it('deleting a row that others still reference: 409 naming the relation, nothing deleted', async () => {
    const { body: place } = await api.call('POST', '/locations', { body: { code: 'W-REF', name: 'Used' } });
    await api.call('POST', '/purchase-orders', {
      body: { number: 'W-PO-REF', supplierId, destinationId: place.id },
    });
    const refused = await api.call('DELETE', `/locations/${place.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'REFERENCE_VIOLATION',
      message: 'The location is still referenced by purchase order rows (destinationId)',
      details: [
        { field: 'destinationId', code: 'referenced', message: 'still referenced by purchase order' },
      ],
    });
    expect((await api.call('GET', `/locations/${place.id}`)).status).toBe(200);
  });

  it('readonly and system properties in a write body are refused with 422, not dropped', async () => {
    const { body: order } = await api.call('POST', '/purchase-orders', {
      body: { number: 'W-PO-RO', supplierId, destinationId: locationId },
    });
    const { body: products } = await api.call('GET', '/products?sku=ID-1');
    const line = await api.call('POST', `/purchase-orders/${order.id}/lines`, {
      body: { lineNo: 1, productId: products.data[0].id, qtyOrdered: '3', unitCost: '1' },
    });
    const patch = await api.call('PATCH', `/purchase-orders/${order.id}/lines/${line.body.id}`, {
      body: { qtyReceived: '3', createdAt: '2026-01-01T00:00:00Z', qtyOrdered: '4' },
    });
    expect(patch.status).toBe(422);
    const fields = patch.body.error.details.map((detail: Row) => detail.field).sort();
    expect(fields).toEqual(['createdAt', 'qtyReceived']);
    const unchanged = await api.call('GET', `/purchase-orders/${order.id}/lines/${line.body.id}`);
    expect(unchanged.body).toMatchObject({ qtyOrdered: '3.0000', qtyReceived: '0.0000', version: 1 });
  });

  it('says plainly what a body lacks: no body at all, no property to change, an empty reason', async () => {
    const detail = async (method: string, path: string, body?: unknown) => {
      const response = await api.call(method, path, body === undefined ? {} : { body });
      expect(response.status, path).toBe(422);
      return response.body.error.details;
    };
    expect(await detail('POST', '/suppliers')).toEqual([
      {
        field: '',
        code: 'type',
        message: 'is missing: this request takes a JSON object (Content-Type: application/json)',
      },
    ]);
    expect(await detail('POST', '/suppliers', [])).toEqual([
      { field: '', code: 'type', message: 'must be a JSON object' },
    ]);
    expect(await detail('PATCH', `/suppliers/${supplierId}`, {})).toEqual([
      { field: '', code: 'minProperties', message: 'must name at least one property' },
    ]);
    const { body: order } = await api.call('POST', '/purchase-orders', {
      body: { number: 'W-PO-EMPTY', supplierId, destinationId: locationId },
    });
    expect(await detail('POST', `/purchase-orders/${order.id}/cancel`, { reason: '' })).toEqual([
      { field: 'reason', code: 'minLength', message: 'must not be empty' },
    ]);
    expect(await detail('POST', '/products/bulk', { operation: 'create', items: [] })).toEqual([
      { field: 'items', code: 'minItems', message: 'must have at least 1 item' },
    ]);
  });

  it('refuses a NUL character (which PostgreSQL cannot store) naming the field or parameter', async () => {
    const body = await api.call('POST', '/products/bulk', {
      body: '{"operation":"create","items":[{"sku":"NUL-1","name":"fine"},{"sku":"NUL-2","name":"a\\u0000b"}]}',
    });
    expect(body.status).toBe(422);
    expect(body.body.error.details).toEqual([
      {
        field: 'items.1.name',
        code: 'nul',
        message: 'must not contain the NUL character (\\u0000): PostgreSQL text cannot hold it',
      },
    ]);
    expect((await api.call('GET', '/products?sku=NUL-1')).body.data).toEqual([]);
    // an escaped backslash before u0000 is text, not a NUL
    const text = await api.call('POST', '/suppliers', { body: '{"code":"NUL-T","name":"a\\\\u0000b"}' });
    expect(text.status).toBe(201);
    expect(text.body.name).toBe('a\\u0000b');
    const query = await api.call('GET', '/products?name[ilike]=*%00*');
    expect(query.status).toBe(400);
    expect(query.body.error).toMatchObject({
      code: 'MALFORMED_REQUEST',
      message: 'Invalid query parameter name[ilike]: must not contain the NUL character (%00)',
    });
  });

  it('a refused property says why: set by the server, a transition, the path, a relation, or a typo', async () => {
    const reasons = (response: { body: { error: { details: Row[] } } }) =>
      Object.fromEntries(response.body.error.details.map((detail) => [detail.field, detail.message]));
    const order = await api.call('POST', '/purchase-orders', {
      body: { number: 'W-PO-WHY', supplierId, destinationId: locationId, status: 'confirmed', supplier: {} },
    });
    expect(order.status).toBe(422);
    expect(reasons(order)).toEqual({
      status:
        'changes only through its transitions: POST /purchase-orders/{id}/submit|reopen|confirm|cancel|close',
      supplier: 'is a relation, read with include=supplier; set `supplierId` instead',
    });
    const { body: created } = await api.call('POST', '/purchase-orders', {
      body: { number: 'W-PO-WHY', supplierId, destinationId: locationId },
    });
    const { body: products } = await api.call('GET', '/products?sku=ID-1');
    const line = await api.call('POST', `/purchase-orders/${created.id}/lines`, {
      body: {
        purchaseOrderId: created.id,
        lineNo: 1,
        productId: products.data[0].id,
        qtyOrdered: '1',
        unitCost: '1',
        untiCost: '1',
      },
    });
    expect(reasons(line)).toEqual({
      purchaseOrderId: 'is given by the path (/purchase-orders/{purchaseOrderId}/lines)',
      untiCost: 'is not a property of a purchase order line; did you mean `unitCost`?',
    });
    const patch = await api.call('PATCH', `/purchase-orders/${created.id}`, {
      body: { id: created.id, version: 1, notes: 'n' },
    });
    expect(reasons(patch)).toEqual({
      id: 'is the key, named by the path; it cannot change',
      version: 'is set by the server; send the version you read as If-Match instead',
    });
    const bulk = await api.call('POST', '/products/bulk?mode=partial', {
      body: { operation: 'delete', items: [{ id: products.data[0].id, name: 'x' }] },
    });
    expect(bulk.body.results[0].error.details).toEqual([
      { field: 'name', code: 'additionalProperties', message: 'is not needed: a delete names only the key' },
    ]);
    const envelope = await api.call('POST', '/products/bulk', { body: { operation: 'create', item: [] } });
    expect(reasons(envelope)).toMatchObject({
      item: 'is not a property of a bulk request; did you mean `items`?',
    });
    expect((await api.call('GET', `/purchase-orders/${created.id}`)).body).toMatchObject({
      version: 1,
      notes: null,
    });
  });

  describe('serialization failures and deadlocks', () => {
    beforeAll(async () => {
      // Sequences are not transactional, so they count attempts that were rolled back.
      await api.driver.exec(`
        CREATE SEQUENCE collide_twice_attempts;
        CREATE SEQUENCE collide_always_attempts;
        CREATE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.name = 'collide twice' AND nextval('collide_twice_attempts') <= 2 THEN
            RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
          END IF;
          IF NEW.name = 'collide always' THEN
            PERFORM nextval('collide_always_attempts');
            RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER collide BEFORE INSERT ON suppliers FOR EACH ROW EXECUTE FUNCTION collide();
      `);
    });

    async function attempts(sequence: string): Promise<number> {
      const { rows } = await api.driver.query<{ n: number }>(`SELECT last_value::int AS n FROM ${sequence}`);
      return rows[0]!.n;
    }

    it('retries the transaction and succeeds once the collision clears', async () => {
      const response = await api.call('POST', '/suppliers/bulk', {
        body: { operation: 'create', items: [{ code: 'COL-1', name: 'collide twice' }] },
      });
      expect(response.status).toBe(200);
      expect(await attempts('collide_twice_attempts')).toBe(3);
      expect((await api.call('GET', '/suppliers?code=COL-1')).body.data).toHaveLength(1);
    });

    it('retries a single-statement write too (no transaction, no idempotency key)', async () => {
      await api.driver.query('ALTER SEQUENCE collide_twice_attempts RESTART');
      const response = await api.call('POST', '/suppliers', {
        body: { code: 'COL-3', name: 'collide twice' },
      });
      expect(response.status).toBe(201);
      expect(await attempts('collide_twice_attempts')).toBe(3);
    });

    it('gives up after its attempts with 503 and Retry-After; nothing is written', async () => {
      const response = await api.call('POST', '/suppliers', {
        body: { code: 'COL-2', name: 'collide always' },
        headers: { 'idempotency-key': `collide-${kind}` },
      });
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(await attempts('collide_always_attempts')).toBe(4);
      expect((await api.call('GET', '/suppliers?code=COL-2')).body.data).toEqual([]);
      // the key was not kept: the client may retry with it
      await api.driver.exec('DROP TRIGGER collide ON suppliers');
      const retried = await api.call('POST', '/suppliers', {
        body: { code: 'COL-2', name: 'collide always' },
        headers: { 'idempotency-key': `collide-${kind}` },
      });
      expect(retried.status).toBe(201);
    });
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});

describe.each(DRIVERS)('computed fields on %s', (kind) => {
  let api: Harness;

  beforeAll(async () => {
    api = await createHarness(kind, 'test/runtime/property/fixtures/pages');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('are read, never written: a create, update or bulk item carrying one is a 422 naming it', async () => {
    const created = await api.call('POST', '/items', { body: { code: 'C-1', label: 'a', price: '1.25' } });
    expect(created.status).toBe(201);
    expect(created.body.doublePrice).toBe('2.50');
    const create = await api.call('POST', '/items', {
      body: { code: 'C-2', label: 'a', price: '1', doublePrice: '9' },
    });
    expect(create.status).toBe(422);
    expect(create.body.error.details.map((detail: Row) => detail.field)).toEqual(['doublePrice']);
    const update = await api.call('PATCH', `/items/${created.body.id}`, { body: { doublePrice: '9' } });
    expect(update.status).toBe(422);
    expect(update.body.error.details.map((detail: Row) => detail.field)).toEqual(['doublePrice']);
    const bulk = await api.call('POST', '/items/bulk', {
      body: { operation: 'create', items: [{ code: 'C-3', label: 'b', price: '2', doublePrice: '4' }] },
    });
    expect(bulk.status).toBe(422);
    expect(bulk.body.error.details).toEqual([expect.objectContaining({ index: 0 })]);
    const read = await api.call('GET', `/items/${created.body.id}`);
    expect(read.body).toMatchObject({ price: '1.25', doublePrice: '2.50', version: 1 });
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
