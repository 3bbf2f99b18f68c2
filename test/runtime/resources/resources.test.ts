/**
 * The resource API through real requests (`app.inject`), on PGlite and (with DATABASE_URL) on
 * PostgreSQL: one suite body, both drivers. Every response is checked against the generated
 * OpenAPI document (see harness.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DRIVERS, type Harness, type Reply } from './harness.js';

describe.each(DRIVERS)('resource API on %s', (kind) => {
  let api: Harness;
  let supplierId: string;
  let locationId: string;

  beforeAll(async () => {
    api = await createHarness(kind);
    supplierId = (await api.call('POST', '/suppliers', { body: { code: 'ACME', name: 'Acme' } })).body.id;
    locationId = (await api.call('POST', '/locations', { body: { code: 'WH1', name: 'Main' } })).body.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('items', () => {
    it('creates with 201, Location and ETag; reads with ETag; If-None-Match gives 304', async () => {
      const created = await api.call('POST', '/products', {
        body: { sku: 'P-1', name: 'Anvil', reorderPoint: 2.5 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        sku: 'P-1',
        reorderPoint: '2.5000',
        version: 1,
        uom: 'ea',
        active: true,
      });
      expect(created.headers.location).toBe(`${api.base}/products/${created.body.id}`);
      expect(created.headers.etag).toBe('"1"');
      const read = await api.call('GET', `/products/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
      expect(read.headers.etag).toBe('"1"');
      const cached = await api.call('GET', `/products/${created.body.id}`, {
        headers: { 'if-none-match': '"1"' },
      });
      expect(cached.status).toBe(304);
    });

    it('refuses readonly, computed and unknown properties with 422 naming them', async () => {
      const response = await api.call('POST', '/products', {
        body: { sku: 'P-2', name: 'X', version: 3, id: 'abc' },
      });
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      const fields = response.body.error.details.map((detail: { field: string }) => detail.field);
      expect(fields).toEqual(expect.arrayContaining(['version', 'id']));
      // An enum names the values it takes.
      const kind = await api.call('POST', '/locations', {
        body: { code: 'WH9', name: 'Yard', kind: 'yard' },
      });
      expect(kind.status).toBe(422);
      expect(kind.body.error.details).toEqual([
        { field: 'kind', code: 'enum', message: 'must be one of warehouse, sublocation, transit, virtual' },
      ]);
      const line = await api.call('PATCH', `/stock-levels/${supplierId}/${locationId}`, {
        body: { available: '1' },
      });
      expect(line.status).toBe(405);
    });

    it('honours If-Match: a stale version gives 412, the current one updates; without it the last writer wins', async () => {
      const { body: product } = await api.call('POST', '/products', { body: { sku: 'P-3', name: 'Hammer' } });
      const stale = await api.call('PATCH', `/products/${product.id}`, {
        body: { name: 'Stale' },
        headers: { 'if-match': '"7"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
      const fresh = await api.call('PATCH', `/products/${product.id}`, {
        body: { name: 'Claw hammer' },
        headers: { 'if-match': '"1"' },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.body).toMatchObject({ name: 'Claw hammer', version: 2 });
      expect(fresh.headers.etag).toBe('"2"');
      // A list matches when any of its tags does (concurrent PATCHes of products share statements).
      const listed = await api.call('PATCH', `/products/${product.id}`, {
        body: { name: 'Hammer' },
        headers: { 'if-match': '"1", "2"' },
      });
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ name: 'Hammer', version: 3 });
      const staleList = await api.call('PATCH', `/products/${product.id}`, {
        body: { name: 'Stale' },
        headers: { 'if-match': '"1", "2"' },
      });
      expect(staleList.status).toBe(412);
      expect(staleList.body.error.details).toEqual({ currentVersion: 3 });
      const blind = await api.call('PATCH', `/products/${product.id}`, { body: { active: false } });
      expect(blind.body).toMatchObject({ active: false, version: 4 });
      const missing = await api.call('PATCH', '/products/0190a3c4-0000-7000-8000-000000000000', {
        body: { name: 'x' },
      });
      expect(missing.status).toBe(404);
    });

    it('soft deletes with 204; the row is gone everywhere and its sku is free again', async () => {
      const { body: product } = await api.call('POST', '/products', { body: { sku: 'P-4', name: 'Tongs' } });
      expect(
        (await api.call('DELETE', `/products/${product.id}`, { headers: { 'if-match': '"1"' } })).status,
      ).toBe(204);
      expect((await api.call('GET', `/products/${product.id}`)).status).toBe(404);
      expect((await api.call('DELETE', `/products/${product.id}`)).status).toBe(404);
      expect(
        (await api.call('POST', '/products', { body: { sku: 'P-4', name: 'Tongs again' } })).status,
      ).toBe(201);
    });

    it('translates database errors: unique 409 naming the field, reference 409, check 422 with the blueprint message', async () => {
      const duplicate = await api.call('POST', '/products', { body: { sku: 'P-1', name: 'Again' } });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('UNIQUE_VIOLATION');
      expect(JSON.stringify(duplicate.body.error)).toContain('sku');
      const reference = await api.call('POST', '/purchase-orders', {
        body: {
          number: 'PO-X',
          supplierId: '0190a3c4-0000-7000-8000-000000000000',
          destinationId: locationId,
        },
      });
      expect(reference.status).toBe(409);
      expect(reference.body.error.code).toBe('REFERENCE_VIOLATION');
      const check = await api.call('POST', '/locations', {
        body: { code: 'SUB', name: 'Shelf', kind: 'sublocation' },
      });
      expect(check.status).toBe(422);
      expect(check.body.error).toMatchObject({
        code: 'CHECK_VIOLATION',
        message: 'A sublocation needs a parent location',
      });
    });

    it('answers 405 with Allow for methods an append-only or read-only resource refuses', async () => {
      const refused = [
        await api.call('PATCH', '/stock-movements/1', { body: { note: 'x' } }),
        await api.call('DELETE', '/stock-movements/1'),
        await api.call('POST', '/stock-levels', { body: {} }),
      ];
      expect(refused.map((response) => [response.status, response.headers.allow])).toEqual([
        [405, 'GET, HEAD'],
        [405, 'GET, HEAD'],
        [405, 'GET, HEAD'],
      ]);
      expect(refused.map((response) => response.body.error.code)).toEqual(
        Array(3).fill('METHOD_NOT_ALLOWED'),
      );
    });
  });

  describe('lists', () => {
    beforeAll(async () => {
      const items = Array.from({ length: 12 }, (_, index) => ({
        sku: `L-${String(index).padStart(2, '0')}`,
        name: index % 2 ? `Blue widget ${index}` : `Red gadget ${index}`,
        reorderPoint: String(index),
      }));
      const response = await api.call('POST', '/products/bulk', { body: { operation: 'create', items } });
      expect(response.status).toBe(200);
    });

    it('pages with an opaque cursor in a stable order, forwards and backwards', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Reply = await api.call(
          'GET',
          `/products?limit=5&sort=-sku&sku[prefix]=L-${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.page.limit).toBe(5);
        seen.push(...page.body.data.map((row: { sku: string }) => row.sku));
        cursor = page.body.page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(12);
      expect(seen).toEqual([...seen].sort().reverse());
    });

    it('filters by operator and kind, counts on request, searches and returns sparse fields', async () => {
      const range = await api.call(
        'GET',
        '/products?reorderPoint[gte]=3&reorderPoint[lt]=6&count=true&sort=sku',
      );
      expect(range.body.data.map((row: { sku: string }) => row.sku)).toEqual(['L-03', 'L-04', 'L-05']);
      expect(range.body.page.count).toBe(3);
      const list = await api.call('GET', '/products?sku[in]=L-01,L-02&fields=sku&sort=sku');
      expect(list.body.data).toEqual([
        { id: expect.any(String), sku: 'L-01' },
        { id: expect.any(String), sku: 'L-02' },
      ]);
      const search = await api.call('GET', '/products?q=blue&limit=100');
      expect(search.body.data).toHaveLength(6);
      const like = await api.call('GET', '/products?name[ilike]=*GADGET*&limit=100');
      expect(like.body.data).toHaveLength(6);
    });

    it('refuses unknown parameters, fields and bad values with 400 naming them', async () => {
      for (const query of [
        'nope=1',
        'sort=name',
        'fields=nope',
        'include=nope',
        'limit=0',
        'limit=501',
        'reorderPoint[gte]=abc',
        'cursor=garbage',
      ]) {
        const response = await api.call('GET', `/products?${query}`);
        expect(response.status, query).toBe(400);
        expect(response.body.error.code, query).toBe('MALFORMED_REQUEST');
      }
      const badKey = await api.call('GET', '/products/not-a-uuid');
      expect(badKey.status).toBe(400);
      expect(badKey.body.error.message).toBe('Invalid path parameter id: must match format "uuid"');
    });

    it('embeds many-to-one and one-to-many relations with include=', async () => {
      const { body: order } = await api.call('POST', '/purchase-orders', {
        body: { number: 'PO-INC', supplierId, destinationId: locationId },
      });
      const { body: products } = await api.call('GET', '/products?sku[in]=L-01,L-02&sort=sku');
      for (const [index, product] of products.data.entries()) {
        const line = await api.call('POST', `/purchase-orders/${order.id}/lines`, {
          body: { lineNo: index + 1, productId: product.id, qtyOrdered: '2', unitCost: 1.25 },
        });
        expect(line.status).toBe(201);
        expect(line.body.purchaseOrderId).toBe(order.id);
      }
      const list = await api.call('GET', '/purchase-orders?number=PO-INC&include=supplier,lines');
      expect(list.body.data[0].supplier).toMatchObject({ id: supplierId, code: 'ACME' });
      expect(list.body.data[0].lines.map((line: { lineNo: number }) => line.lineNo)).toEqual([1, 2]);
      const item = await api.call('GET', `/purchase-orders/${order.id}?include=destination`);
      expect(item.body.destination).toMatchObject({ id: locationId });
      const nested = await api.call('GET', `/purchase-orders/${order.id}/lines?include=product`);
      expect(nested.body.data.map((line: { product: { sku: string } }) => line.product.sku)).toEqual([
        'L-01',
        'L-02',
      ]);
      const orphan = await api.call('GET', '/purchase-orders/0190a3c4-0000-7000-8000-000000000000/lines');
      expect(orphan.status).toBe(404);
      const orphanCreate = await api.call(
        'POST',
        '/purchase-orders/0190a3c4-0000-7000-8000-000000000000/lines',
        {
          body: { lineNo: 1, productId: products.data[0].id, qtyOrdered: '1', unitCost: '1' },
        },
      );
      expect(orphanCreate.status).toBe(404);
    });
  });

  describe('bulk', () => {
    it('gives new rows UUID v7 keys in the order they were made, alone, together and in bulk', async () => {
      const ids: string[] = [];
      for (const sku of ['K-1', 'K-2']) {
        const created = await api.call('POST', '/products', { body: { sku, name: 'Keyed' } });
        expect(created.status).toBe(201);
        ids.push(created.body.id);
      }
      // Sent at once, so they may share a statement (write-batches.ts): each still gets a key.
      const together = await Promise.all(
        ['K-3', 'K-4', 'K-5'].map((sku) => api.call('POST', '/products', { body: { sku, name: 'Keyed' } })),
      );
      const togetherIds = together.map((reply) => reply.body.id as string);
      expect(new Set(togetherIds).size).toBe(3);
      ids.push(...togetherIds.sort());
      const created = await api.call('POST', '/products/bulk', {
        body: { operation: 'create', items: ['K-6', 'K-7', 'K-8'].map((sku) => ({ sku, name: 'Keyed' })) },
      });
      ids.push(...created.body.results.map((result: { id: string }) => result.id));
      const upserted = await api.call('POST', '/products/bulk', {
        body: {
          operation: 'upsert',
          onConflict: 'sku',
          items: ['K-1', 'K-9', 'K-10'].map((sku) => ({ sku, name: 'Upserted' })),
        },
      });
      const [kept, ...inserted] = upserted.body.results as { id: string; status: number }[];
      expect(kept).toMatchObject({ status: 200, id: ids[0] });
      expect(inserted.map((result) => result.status)).toEqual([201, 201]);
      ids.push(...inserted.map((result) => result.id));
      for (const id of ids)
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(ids).toHaveLength(10);
      expect([...ids].sort()).toEqual(ids);
      // The key's 48-bit time is the clock's, in milliseconds.
      const stamp = Number.parseInt(ids.at(-1)!.replaceAll('-', '').slice(0, 12), 16);
      expect(Math.abs(stamp - Date.now())).toBeLessThan(60_000);
    });

    it('upserts on a unique key with per-item statuses, and updates with per-item versions', async () => {
      const upsert = await api.call('POST', '/products/bulk?mode=partial', {
        body: {
          operation: 'upsert',
          onConflict: 'sku',
          items: [
            { sku: 'L-00', name: 'Renamed' },
            { sku: 'U-NEW', name: 'New' },
          ],
        },
      });
      expect(upsert.status).toBe(200);
      expect(upsert.body.summary).toMatchObject({ total: 2, succeeded: 2, created: 1, updated: 1 });
      expect(upsert.body.results.map((result: { status: number }) => result.status)).toEqual([200, 201]);
      const renamed = upsert.body.results[0];
      const update = await api.call('POST', '/products/bulk?mode=partial', {
        body: {
          operation: 'update',
          items: [
            { id: renamed.id, version: renamed.version, name: 'Renamed twice' },
            {
              id: renamed.id === upsert.body.results[1].id ? '' : upsert.body.results[1].id,
              version: 9,
              name: 'stale',
            },
          ],
        },
      });
      expect(update.status).toBe(207);
      expect(update.body.results.map((result: { status: number }) => result.status)).toEqual([200, 412]);
    });

    it('an upsert leaves what its items do not carry as stored; inserted rows get the defaults', async () => {
      const { body: kept } = await api.call('POST', '/products', {
        body: { sku: 'U-KEEP', name: 'Crate', uom: 'box', active: false },
      });
      const upsert = await api.call('POST', '/products/bulk', {
        body: {
          operation: 'upsert',
          onConflict: 'sku',
          items: [
            { sku: 'U-KEEP', name: 'Crate, large' },
            { sku: 'U-FRESH', name: 'Pallet' },
          ],
        },
      });
      expect(upsert.status).toBe(200);
      expect(upsert.body.results[0]).toEqual({ index: 0, status: 200, id: kept.id, version: 2 });
      expect((await api.call('GET', `/products/${kept.id}`)).body).toMatchObject({
        name: 'Crate, large',
        uom: 'box',
        active: false,
        version: 2,
      });
      expect((await api.call('GET', `/products/${upsert.body.results[1].id}`)).body).toMatchObject({
        sku: 'U-FRESH',
        uom: 'ea',
        active: true,
        version: 1,
      });
    });

    it('atomic mode writes nothing and lists every failing item by index', async () => {
      const response = await api.call('POST', '/products/bulk', {
        body: {
          operation: 'create',
          items: [
            { sku: 'A-1', name: 'ok' },
            { sku: 'A-2', name: 'bad', reorderPoint: '-1' },
            { sku: 'A-1', name: 'duplicate in batch' },
            { sku: 'L-05', name: 'taken' },
          ],
        },
      });
      expect(response.status).toBeGreaterThanOrEqual(409);
      const indexes = response.body.error.details.map((detail: { index: number }) => detail.index);
      expect(indexes).toEqual([1, 2]);
      expect((await api.call('GET', '/products?sku=A-1')).body.data).toEqual([]);
      const database = await api.call('POST', '/products/bulk', {
        body: {
          operation: 'create',
          items: [
            { sku: 'A-3', name: 'ok' },
            { sku: 'L-05', name: 'taken' },
          ],
        },
      });
      expect(database.status).toBe(409);
      expect(database.body.error.details).toEqual([
        expect.objectContaining({ index: 1, code: 'UNIQUE_VIOLATION' }),
      ]);
      expect((await api.call('GET', '/products?sku=A-3')).body.data).toEqual([]);
    });

    it('partial mode keeps the good items and reports the bad ones (207)', async () => {
      const response = await api.call('POST', '/products/bulk?mode=partial', {
        body: {
          operation: 'create',
          items: [{ sku: 'B-1', name: 'ok' }, { sku: 'L-05', name: 'taken' }, { name: 'no sku' }],
        },
      });
      expect(response.status).toBe(207);
      expect(response.body.results.map((result: { status: number }) => result.status)).toEqual([
        201, 409, 422,
      ]);
      expect((await api.call('GET', '/products?sku=B-1')).body.data).toHaveLength(1);
    });

    it('deletes in bulk and refuses more items than the cap with 413', async () => {
      const { body } = await api.call('GET', '/products?sku[prefix]=L-1&fields=id');
      const response = await api.call('POST', '/products/bulk', {
        body: { operation: 'delete', items: body.data.map((row: { id: string }) => ({ id: row.id })) },
      });
      expect(response.status).toBe(200);
      expect(response.body.summary.deleted).toBe(body.data.length);
      const tooMany = Array.from({ length: api.model.api.bulk.maxItems + 1 }, (_, index) => ({
        sku: `T-${index}`,
        name: 't',
      }));
      const refused = await api.call('POST', '/products/bulk', {
        body: { operation: 'create', items: tooMany },
      });
      expect(refused.status).toBe(413);
    });
  });

  describe('transitions, history and audit', () => {
    it('moves through the lifecycle, refuses the wrong state with 409 and the current state, records history', async () => {
      const { body: order } = await api.call('POST', '/purchase-orders', {
        body: { number: 'PO-LC', supplierId, destinationId: locationId },
      });
      expect(order.status).toBe('draft');
      const stale = await api.call('POST', `/purchase-orders/${order.id}/submit`, {
        headers: { 'if-match': '"5"' },
      });
      expect(stale.status).toBe(412);
      const submitted = await api.call('POST', `/purchase-orders/${order.id}/submit`, {
        headers: { 'if-match': '"1"' },
      });
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ status: 'submitted', version: 2 });
      const again = await api.call('POST', `/purchase-orders/${order.id}/submit`);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { state: 'submitted', allowedFrom: ['draft'] },
      });
      const noReason = await api.call('POST', `/purchase-orders/${order.id}/cancel`, { body: {} });
      expect(noReason.status).toBe(422);
      const cancelled = await api.call('POST', `/purchase-orders/${order.id}/cancel`, {
        body: { reason: 'supplier closed' },
      });
      expect(cancelled.body.status).toBe('cancelled');
      const history = await api.call('GET', `/purchase-orders/${order.id}/history`);
      expect(history.status).toBe(200);
      expect(
        history.body.data.map((row: Record<string, unknown>) => [row.fromState, row.toState, row.reason]),
      ).toEqual([
        [null, 'draft', null],
        ['draft', 'submitted', null],
        ['submitted', 'cancelled', 'supplier closed'],
      ]);
      const readonlyState = await api.call('PATCH', `/purchase-orders/${order.id}`, {
        body: { status: 'draft' },
      });
      expect(readonlyState.status).toBe(422);
    });

    it('records an audit trail for audited entities and pages through it', async () => {
      const { body: product } = await api.call('POST', '/products', {
        body: { sku: 'AU-1', name: 'Audited' },
      });
      // A decimal beyond a double's 15-16 digits, to show the trail keeps every digit.
      const { body: changed } = await api.call('PATCH', `/products/${product.id}`, {
        body: { name: 'Audited twice', reorderPoint: '12345678901234.5678' },
      });
      const trail = await api.call('GET', `/audit?entity=product&entityId=${product.id}`);
      expect(trail.status).toBe(200);
      expect(trail.body.data.map((entry: Record<string, unknown>) => entry.action)).toEqual([
        'update',
        'create',
      ]);
      expect(trail.body.data[0]).toMatchObject({ actor: 'anonymous' });
      // before and after are the rows exactly as the API answered them: decimals as exact
      // strings, timestamps in the API's own form.
      expect(trail.body.data[0].before).toEqual(product);
      expect(trail.body.data[0].after).toEqual(changed);
      expect(trail.body.data[0].after.reorderPoint).toBe('12345678901234.5678');
      expect(trail.body.data[1]).toMatchObject({ before: null, after: product });
      const actions = async (list: string) =>
        (
          await api.call(
            'GET',
            `/audit?entity[in]=product,purchase_order&entityId=${product.id}&action[in]=${list}`,
          )
        ).body.data.map((entry: Record<string, unknown>) => entry.action);
      expect(await actions('create,delete')).toEqual(['create']);
      expect(await actions('update,create')).toEqual(['update', 'create']);
      const page = await api.call('GET', '/audit?limit=2');
      expect(page.body.data).toHaveLength(2);
      expect(page.body.page.nextCursor).toEqual(expect.any(String));
      const next = await api.call('GET', `/audit?limit=2&cursor=${page.body.page.nextCursor}`);
      expect(next.body.data[0].id).toBeLessThan(page.body.data[1].id);
    });
  });

  describe('idempotency', () => {
    it('replays a POST with the same key and body without doing the work again', async () => {
      const headers = { 'idempotency-key': `key-${kind}-1` };
      const first = await api.call('POST', '/suppliers', { body: { code: 'IDEM', name: 'Once' }, headers });
      const second = await api.call('POST', '/suppliers', { body: { name: 'Once', code: 'IDEM' }, headers });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.location).toBe(first.headers.location);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect((await api.call('GET', '/suppliers?code=IDEM')).body.data).toHaveLength(1);
      const reused = await api.call('POST', '/suppliers', {
        body: { code: 'OTHER', name: 'Twice' },
        headers,
      });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('forgets keys after their time to live', async () => {
      const headers = { 'idempotency-key': `key-${kind}-2` };
      await api.call('POST', '/suppliers', { body: { code: 'TTL', name: 'Once' }, headers });
      await api.driver.query(
        "UPDATE architect_idempotency_keys SET expires_at = now() - interval '1 second'",
      );
      const again = await api.call('POST', '/suppliers', { body: { code: 'TTL', name: 'Once' }, headers });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('UNIQUE_VIOLATION');
    });
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
