/**
 * Writes that overlap: creates and updates of an entity that arrive together, or beyond the ones
 * already in flight, go to the database as one statement (resources/write-batches.ts), and each
 * request still gets its own answer: its row, its Location and ETag, or the error its own body
 * causes (a taken unique value, a failed check, a missing reference, a stale version, a missing
 * row), while the others in its batch are written. On PGlite (one connection) and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/runtime/db/index.js';
import { createHarness, DRIVERS, type Harness, type Reply, sendWhileLocked } from './harness.js';

type Row = Record<string, unknown>;

/**
 * Counts the app's INSERT (or UPDATE) statements on a table: single-row ones and batched ones
 * (the bulk statements, or for creates that record no origin the INSERT from typed arrays).
 */
function countInserts(
  driver: Driver,
  table = 'locations',
  verb: 'INSERT INTO' | 'UPDATE' = 'INSERT INTO',
): { single: number; batched: number } {
  const counts = { single: 0, batched: 0 };
  const query = driver.query.bind(driver);
  (driver as { query: Driver['query'] }).query = (text, params) => {
    const batched = text.startsWith('WITH input AS MATERIALIZED') || text.includes(' FROM unnest(');
    if (batched && text.includes(`${verb} ${table} AS t`)) {
      counts.batched += 1;
    } else if (text.includes(`${verb} ${table} AS t`)) counts.single += 1;
    return query(text, params);
  };
  return counts;
}

describe.each(DRIVERS)('writes that overlap on %s', (kind) => {
  let api: Harness;
  let warehouseId: string;

  beforeAll(async () => {
    api = await createHarness(kind);
    const warehouse = await api.call('POST', '/locations', { body: { code: 'CB-WH', name: 'Warehouse' } });
    expect(warehouse.status).toBe(201);
    warehouseId = warehouse.body.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('writes them together and answers each with its own row or its own error', async () => {
    const counts = countInserts(api.driver);
    const missingParent = '0190a3c4-0000-7000-8000-000000000000';
    const created = (body: Record<string, unknown>) => (reply: Reply) => {
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        ...body,
        kind: body.kind ?? 'warehouse',
        stockable: body.stockable ?? true,
        version: 1,
      });
      expect(reply.headers.location).toBe(`${api.base}/locations/${reply.body.id}`);
      expect(reply.headers.etag).toBe('"1"');
    };
    /** 24 creates in three sets of properties, and three that fail, each in its own way. */
    const wave = (suffix: string, failing: boolean) => {
      const requests: { body: Record<string, unknown>; expect: (reply: Reply) => void }[] = [];
      for (let index = 0; index < 24; index += 1) {
        const code = `CB-${index}${suffix}`;
        const body =
          index % 3 === 0
            ? { code, name: `Bin ${index}` }
            : index % 3 === 1
              ? { code, name: `Bin ${index}`, kind: 'sublocation', parentId: warehouseId }
              : { code, name: `Bin ${index}`, stockable: false };
        requests.push({ body, expect: created(body) });
      }
      if (!failing) return requests;
      requests.push({
        body: { code: 'CB-WH', name: 'Taken code' },
        expect: (reply) => {
          expect(reply.status).toBe(409);
          expect(reply.body.error.code).toBe('UNIQUE_VIOLATION');
          expect(reply.body.error.message).toContain('code');
        },
      });
      requests.push({
        body: { code: `CB-ORPHAN${suffix}`, name: 'No parent', kind: 'sublocation' },
        expect: (reply) => {
          expect(reply.status).toBe(422);
          expect(reply.body.error.message).toContain('A sublocation needs a parent location');
        },
      });
      requests.push({
        body: { code: `CB-LOST${suffix}`, name: 'Lost parent', kind: 'sublocation', parentId: missingParent },
        expect: (reply) => {
          expect([409, 422]).toContain(reply.status);
          expect(reply.body.error.code).toBe('REFERENCE_VIOLATION');
        },
      });
      return requests;
    };
    const ids = new Set<string>();
    let statements = 0;
    for (const [suffix, failing] of [
      ['', true],
      ['-1', true],
      ['-2', false],
    ] as const) {
      const requests = wave(suffix, failing);
      const before = counts.single + counts.batched;
      const replies = await sendWhileLocked(api, 'locations', () =>
        requests.map((request) => api.call('POST', '/locations', { body: request.body })),
      );
      for (const [index, reply] of replies.entries()) {
        requests[index]!.expect(reply);
        if (reply.status === 201) ids.add(reply.body.id);
      }
      statements = counts.single + counts.batched - before;
    }
    expect(counts.batched).toBeGreaterThan(0);
    // Without failures, a handful of statements for 24 creates: the first ones alone, then one
    // per set of properties. (A batch that fails runs again in halves, then alone.)
    expect(statements).toBeLessThanOrEqual(6);
    // Every row is stored once, as answered.
    const stored = await api.driver.query<{ id: string; code: string }>(
      `SELECT id, code FROM locations WHERE code LIKE 'CB-%' AND code <> 'CB-WH'`,
    );
    expect(stored.rows).toHaveLength(24 * 3);
    expect(new Set(stored.rows.map((row) => row.id))).toEqual(ids);
    // Operators see it in the metrics.
    const metrics = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (name: string) =>
      Number(
        new RegExp(`^${name}\\{entity="location",operation="create"\\} (\\d+)$`, 'm').exec(metrics)?.[1],
      );
    expect(value('architect_db_write_batches_total')).toBeGreaterThanOrEqual(counts.batched);
    expect(value('architect_db_batched_writes_total')).toBeGreaterThan(
      value('architect_db_write_batches_total'),
    );
  });

  it('leaves a create whose code is taken out of its batch: one statement more for it, not for the batch', async () => {
    for (const index of [0, 1, 2]) {
      expect(
        (await api.call('POST', '/locations', { body: { code: `CT-OLD-${index}`, name: 'Stored' } })).status,
      ).toBe(201);
    }
    const counts = countInserts(api.driver);
    // 27 creates of one shape: 18 new codes, 3 codes already stored, 3 codes sent twice.
    const codes = [
      ...Array.from({ length: 18 }, (_, index) => `CT-${index}`),
      ...[0, 1, 2].map((index) => `CT-OLD-${index}`),
      ...[0, 1, 2].flatMap((index) => [`CT-TWICE-${index}`, `CT-TWICE-${index}`]),
    ];
    const replies = await sendWhileLocked(api, 'locations', () =>
      codes.map((code, index) => api.call('POST', '/locations', { body: { code, name: `Taken ${index}` } })),
    );
    const byCode = new Map<string, Reply[]>();
    for (const [index, reply] of replies.entries())
      byCode.set(codes[index]!, [...(byCode.get(codes[index]!) ?? []), reply]);
    for (const [code, answers] of byCode) {
      const statuses = answers.map((reply) => reply.status).sort();
      expect({ code, statuses }).toEqual({
        code,
        statuses: code.startsWith('CT-OLD') ? [409] : code.startsWith('CT-TWICE') ? [201, 409] : [201],
      });
      for (const reply of answers.filter((answer) => answer.status === 409)) {
        expect(reply.body.error.code).toBe('UNIQUE_VIOLATION');
      }
      const created = answers.find((reply) => reply.status === 201);
      if (created) expect(created.body).toMatchObject({ code, name: created.body.name, version: 1 });
    }
    // What is stored is what was answered: one row per new code, under the winner's id and name.
    const stored = await api.driver.query<{ id: string; code: string; name: string }>(
      `SELECT id, code, name FROM locations WHERE code LIKE 'CT-%' AND code NOT LIKE 'CT-OLD-%'`,
    );
    const winners = replies.filter((reply) => reply.status === 201).map((reply) => reply.body);
    expect(
      stored.rows.map(({ id, code, name }) => ({ id, code, name })).sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual(
      winners.map(({ id, code, name }) => ({ id, code, name })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    // The first creates alone, one batch for the rest, and one statement for each of the six
    // taken codes; a batch that failed whole would run all 25 of its creates again.
    expect(counts.batched).toBeGreaterThan(0);
    expect(counts.single + counts.batched).toBeLessThanOrEqual(4 + 6);
  });

  it('retries a refused batch in halves: one bad create among many costs a few statements, not one each', async () => {
    const counts = countInserts(api.driver);
    // One set of properties, so the queued creates form one batch; the last breaks a check.
    const bodies = Array.from({ length: 40 }, (_, index) => ({
      code: `HV-${index}`,
      name: `Half ${index}`,
      kind: index === 39 ? 'sublocation' : 'virtual',
    }));
    const replies = await sendWhileLocked(api, 'locations', () =>
      bodies.map((body) => api.call('POST', '/locations', { body })),
    );
    expect(replies.slice(0, 39).map((reply) => reply.status)).toEqual(Array(39).fill(201));
    expect(replies[39]!.status).toBe(422);
    expect(replies[39]!.body.error.message).toContain('A sublocation needs a parent location');
    const stored = await api.driver.query<{ code: string }>(
      `SELECT code FROM locations WHERE code LIKE 'HV-%' ORDER BY code`,
    );
    expect(stored.rows.map((row) => row.code).sort()).toEqual(
      bodies
        .slice(0, 39)
        .map((body) => body.code)
        .sort(),
    );
    expect(counts.batched).toBeGreaterThan(0);
    // Each create alone after the failed batch would be 40 or more.
    expect(counts.single + counts.batched).toBeLessThanOrEqual(16);
  });

  it('records each batched create in the audit trail and status history under its own request', async () => {
    const products = countInserts(api.driver, 'products');
    const created = await sendWhileLocked(api, 'products', () =>
      Array.from({ length: 12 }, (_, index) =>
        api.call('POST', '/products', {
          body: { sku: `CB-P-${index}`, name: `Audited ${index}` },
          headers: { 'x-request-id': `req-cb-product-${index}` },
        }),
      ),
    );
    expect(products.batched).toBeGreaterThan(0);
    const single = await api.call('POST', '/products', { body: { sku: 'CB-P-ALONE', name: 'Alone' } });
    const audit = async (id: string) =>
      (
        await api.driver.query<{ action: string; actor: string; request_id: string; after: Row }>(
          `SELECT action, actor, request_id, after FROM audit_log WHERE entity = 'product' AND entity_id = $1`,
          [id],
        )
      ).rows;
    const [alone] = await audit(single.body.id);
    for (const [index, reply] of created.entries()) {
      expect(reply.status).toBe(201);
      const rows = await audit(reply.body.id);
      expect(rows).toEqual([
        {
          action: 'create',
          actor: 'anonymous',
          request_id: `req-cb-product-${index}`,
          after: expect.any(Object),
        },
      ]);
      // the same image a create alone records: the row, no helper columns
      expect(Object.keys(rows[0]!.after).sort()).toEqual(Object.keys(alone!.after).sort());
      expect(rows[0]!.after).toMatchObject({ id: reply.body.id, sku: `CB-P-${index}`, version: 1 });
    }

    const supplier = await api.call('POST', '/suppliers', { body: { code: 'CB-S', name: 'Supplier' } });
    const orders = countInserts(api.driver, 'purchase_orders');
    const placed = await sendWhileLocked(api, 'purchase_orders', () =>
      Array.from({ length: 8 }, (_, index) =>
        api.call('POST', '/purchase-orders', {
          body: { number: `CB-PO-${index}`, supplierId: supplier.body.id, destinationId: warehouseId },
          headers: { 'x-request-id': `req-cb-order-${index}` },
        }),
      ),
    );
    expect(orders.batched).toBeGreaterThan(0);
    for (const [index, reply] of placed.entries()) {
      expect(reply.status).toBe(201);
      expect(reply.body.status).toBe('draft');
      const history = await api.call('GET', `/purchase-orders/${reply.body.id}/history`);
      expect(history.body.data).toEqual([
        expect.objectContaining({
          fromState: null,
          toState: 'draft',
          actor: 'anonymous',
          requestId: `req-cb-order-${index}`,
        }),
      ]);
      const orderAudit = await api.driver.query<{ request_id: string }>(
        `SELECT request_id FROM audit_log WHERE entity = 'purchase_order' AND entity_id = $1`,
        [reply.body.id],
      );
      expect(orderAudit.rows).toEqual([{ request_id: `req-cb-order-${index}` }]);
    }
  });

  it('writes nested creates together per parent; a missing parent is a 404 for its own request', async () => {
    const supplier = await api.call('POST', '/suppliers', { body: { code: 'CB-S2', name: 'Supplier' } });
    const product = await api.call('POST', '/products', { body: { sku: 'CB-LINE', name: 'Lined' } });
    const orders: string[] = [];
    for (const number of ['CB-PO-L1', 'CB-PO-L2']) {
      const order = await api.call('POST', '/purchase-orders', {
        body: { number, supplierId: supplier.body.id, destinationId: warehouseId },
      });
      orders.push(order.body.id);
    }
    const missing = '0190a3c4-0000-7000-8000-000000000001';
    const lines = countInserts(api.driver, 'purchase_order_lines');
    // line numbers differ between orders, so no unique key stops a line filed under another order
    const sent = [...orders, missing].flatMap((order, at) =>
      Array.from({ length: 6 }, (_, index) => ({
        order,
        body: {
          lineNo: at * 10 + index + 1,
          productId: product.body.id,
          qtyOrdered: index + 1,
          unitCost: 2.5,
        },
      })),
    );
    const replies = await sendWhileLocked(api, 'purchase_order_lines', () =>
      sent.map((line) => api.call('POST', `/purchase-orders/${line.order}/lines`, { body: line.body })),
    );
    expect(lines.batched).toBeGreaterThan(0);
    for (const [index, reply] of replies.entries()) {
      const line = sent[index]!;
      if (line.order === missing) {
        expect(reply.status).toBe(404);
        expect(reply.body.error.code).toBe('NOT_FOUND');
        continue;
      }
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ purchaseOrderId: line.order, lineNo: line.body.lineNo });
      expect(reply.headers.location).toBe(`${api.base}/purchase-orders/${line.order}/lines/${reply.body.id}`);
    }
    for (const [at, order] of orders.entries()) {
      const listed = await api.call('GET', `/purchase-orders/${order}/lines`);
      const numbers = listed.body.data.map((line: { lineNo: number }) => line.lineNo);
      expect(numbers.sort((a: number, b: number) => a - b)).toEqual(
        [1, 2, 3, 4, 5, 6].map((lineNo) => at * 10 + lineNo),
      );
    }
  });

  it('writes updates together; each gets its own row, 404, 412 or 409, and two of one row both apply', async () => {
    const made = await api.call('POST', '/suppliers/bulk', {
      body: {
        operation: 'create',
        items: Array.from({ length: 20 }, (_, index) => ({
          code: `CB-U-${index}`,
          name: `Supplier ${index}`,
          email: `s${index}@example.com`,
        })),
      },
    });
    expect(made.status).toBe(200);
    const ids: string[] = made.body.results.map((result: { id: string }) => result.id);
    const updates = countInserts(api.driver, 'suppliers', 'UPDATE');
    const patch = (id: string, body: Record<string, unknown>, version?: number) =>
      api.call('PATCH', `/suppliers/${id}`, {
        body,
        headers: version === undefined ? {} : { 'if-match': `"${version}"` },
      });
    const replies = await sendWhileLocked(api, 'suppliers', () => [
      // 0-9: renamed, each with the version it read
      ...ids.slice(0, 10).map((id, index) => patch(id, { name: `Renamed ${index}` }, 1)),
      // 10: a version that is not the row's; 11: a row that does not exist
      patch(ids[10]!, { name: 'Stale' }, 7),
      patch('0190a3c4-0000-7000-8000-000000000002', { name: 'Nobody' }, 1),
      // 12-14: new codes, one of them taken by another supplier
      patch(ids[12]!, { code: 'CB-U-NEW-12' }),
      patch(ids[13]!, { code: 'CB-U-0' }),
      patch(ids[14]!, { code: 'CB-U-NEW-14' }),
      // 15, 16: two changes of one row without If-Match: both apply, one after the other
      patch(ids[15]!, { name: 'Twice A' }),
      patch(ids[15]!, { name: 'Twice B' }),
      // 17: an optional value cleared
      patch(ids[17]!, { email: null }),
    ]);
    for (let index = 0; index < 10; index += 1) {
      expect(replies[index]!.status).toBe(200);
      expect(replies[index]!.body).toMatchObject({ id: ids[index], name: `Renamed ${index}`, version: 2 });
      expect(replies[index]!.headers.etag).toBe('"2"');
    }
    expect(replies[10]!.status).toBe(412);
    expect(replies[10]!.body.error.details).toMatchObject({ currentVersion: 1 });
    expect(replies[11]!.status).toBe(404);
    expect(replies[12]!.body).toMatchObject({ code: 'CB-U-NEW-12', version: 2 });
    expect(replies[13]!.status).toBe(409);
    expect(replies[13]!.body.error.code).toBe('UNIQUE_VIOLATION');
    expect(replies[14]!.body).toMatchObject({ code: 'CB-U-NEW-14', version: 2 });
    expect(replies[15]!.status).toBe(200);
    expect(replies[16]!.status).toBe(200);
    expect([replies[15]!.body.version, replies[16]!.body.version].sort()).toEqual([2, 3]);
    expect(replies[17]!.body).toMatchObject({ id: ids[17], email: null, name: 'Supplier 17' });
    expect(updates.batched).toBeGreaterThan(0);
    // what is stored is what was answered
    const stored = await api.call('GET', `/suppliers/${ids[15]}`);
    const last = replies[15]!.body.version === 3 ? replies[15]! : replies[16]!;
    expect(stored.body).toEqual(last.body);
    for (const index of [0, 9, 12, 14, 17]) {
      expect((await api.call('GET', `/suppliers/${ids[index]}`)).body).toEqual(replies[index]!.body);
    }
    expect((await api.call('GET', `/suppliers/${ids[13]}`)).body).toMatchObject({
      code: 'CB-U-13',
      version: 1,
    });
    const metrics = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /^architect_db_write_batches_total\{entity="supplier",operation="update"\} [1-9]/m,
    );
  });

  it('writes nested updates together per parent; a line named under another order is a 404', async () => {
    const supplier = await api.call('POST', '/suppliers', { body: { code: 'CB-S3', name: 'Supplier' } });
    const product = await api.call('POST', '/products', { body: { sku: 'CB-LINE-U', name: 'Lined' } });
    const orders: string[] = [];
    const lines: { order: string; id: string }[] = [];
    for (const number of ['CB-PO-U1', 'CB-PO-U2']) {
      const order = await api.call('POST', '/purchase-orders', {
        body: { number, supplierId: supplier.body.id, destinationId: warehouseId },
      });
      orders.push(order.body.id);
      for (let lineNo = 1; lineNo <= 5; lineNo += 1) {
        const line = await api.call('POST', `/purchase-orders/${order.body.id}/lines`, {
          body: { lineNo, productId: product.body.id, qtyOrdered: 1, unitCost: 1 },
        });
        lines.push({ order: order.body.id, id: line.body.id });
      }
    }
    const updates = countInserts(api.driver, 'purchase_order_lines', 'UPDATE');
    const replies = await sendWhileLocked(api, 'purchase_order_lines', () => [
      ...lines.map((line, index) =>
        api.call('PATCH', `/purchase-orders/${line.order}/lines/${line.id}`, {
          body: { qtyOrdered: index + 2 },
          headers: { 'if-match': '"1"' },
        }),
      ),
      // the first order's line, addressed under the second order
      api.call('PATCH', `/purchase-orders/${orders[1]}/lines/${lines[0]!.id}`, {
        body: { qtyOrdered: 99 },
        headers: { 'if-match': '"1"' },
      }),
    ]);
    expect(updates.batched).toBeGreaterThan(0);
    for (const [index, line] of lines.entries()) {
      expect(replies[index]!.status).toBe(200);
      expect(replies[index]!.body).toMatchObject({ id: line.id, purchaseOrderId: line.order, version: 2 });
      expect(Number(replies[index]!.body.qtyOrdered)).toBe(index + 2);
    }
    expect(replies[lines.length]!.status).toBe(404);
    const first = await api.call('GET', `/purchase-orders/${orders[0]}/lines/${lines[0]!.id}`);
    expect(Number(first.body.qtyOrdered)).toBe(2);
  });

  it('records each batched update in the audit trail with its own before, after and request', async () => {
    const made = await api.call('POST', '/products/bulk', {
      body: {
        operation: 'create',
        items: Array.from({ length: 8 }, (_, index) => ({ sku: `CB-UP-${index}`, name: `Before ${index}` })),
      },
    });
    const ids: string[] = made.body.results.map((result: { id: string }) => result.id);
    const updates = countInserts(api.driver, 'products', 'UPDATE');
    const replies = await sendWhileLocked(api, 'products', () =>
      ids.map((id, index) =>
        api.call('PATCH', `/products/${id}`, {
          body: { name: `After ${index}` },
          headers: { 'if-match': '"1"', 'x-request-id': `req-cb-update-${index}` },
        }),
      ),
    );
    expect(updates.batched).toBeGreaterThan(0);
    for (const [index, reply] of replies.entries()) {
      expect(reply.status).toBe(200);
      const { rows } = await api.driver.query<{ actor: string; request_id: string; before: Row; after: Row }>(
        `SELECT actor, request_id, before, after FROM audit_log WHERE entity = 'product' AND entity_id = $1 AND action = 'update'`,
        [ids[index]],
      );
      expect(rows).toEqual([
        {
          actor: 'anonymous',
          request_id: `req-cb-update-${index}`,
          before: expect.objectContaining({ name: `Before ${index}`, version: 1 }),
          after: expect.objectContaining({ name: `After ${index}`, version: 2 }),
        },
      ]);
      expect(Object.keys(rows[0]!.after).some((key) => key.startsWith('__'))).toBe(false);
    }
  });

  it('writes one at a time when the creates do not overlap', async () => {
    const counts = countInserts(api.driver);
    for (let index = 0; index < 3; index += 1) {
      const reply = await api.call('POST', '/locations', {
        body: { code: `CB-SEQ-${index}`, name: 'Alone' },
      });
      expect(reply.status).toBe(201);
    }
    expect(counts).toEqual({ single: 3, batched: 0 });
  });

  it('writes the creates that arrive together as one statement where statements run one at a time', async () => {
    const counts = countInserts(api.driver);
    const replies = await Promise.all(
      [0, 1, 2].map((index) =>
        api.call('POST', '/locations', { body: { code: `CB-TURN-${index}`, name: 'Together' } }),
      ),
    );
    expect(replies.map((reply) => [reply.status, reply.body.code])).toEqual([
      [201, 'CB-TURN-0'],
      [201, 'CB-TURN-1'],
      [201, 'CB-TURN-2'],
    ]);
    // PGlite runs one statement at a time: the three leave together. A server's pool runs the
    // first two side by side, each alone, and the third waits for one of them.
    expect(counts).toEqual(kind === 'pglite' ? { single: 0, batched: 1 } : { single: 3, batched: 0 });
  });

  it('keeps creates with an Idempotency-Key to their own transaction, replays included', async () => {
    const counts = countInserts(api.driver);
    const send = (index: number) =>
      api.call('POST', '/locations', {
        body: { code: `CB-IDEM-${index}`, name: 'Keyed' },
        headers: { 'idempotency-key': `cb-${kind}-${index}` },
      });
    const first = await Promise.all(Array.from({ length: 12 }, (_, index) => send(index)));
    const again = await Promise.all(Array.from({ length: 12 }, (_, index) => send(index)));
    for (const [index, reply] of first.entries()) {
      expect(reply.status).toBe(201);
      expect(again[index]!.status).toBe(201);
      expect(again[index]!.headers['idempotent-replayed']).toBe('true');
      expect(again[index]!.body.id).toBe(reply.body.id);
    }
    // (their INSERTs run inside each key's transaction, not on the shared driver)
    expect(counts.batched).toBe(0);
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
