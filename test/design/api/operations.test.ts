import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import {
  buildOperations,
  buildSchemas,
  buildServiceOperations,
  createApiAjv,
  type Operation,
  requestSchemas,
} from '../../../src/design/api/index.js';

const model = await loadBlueprint('examples/inventory');
const operations = buildOperations(model);

function find(method: string, path: string): Operation | undefined {
  return operations.find((operation) => operation.method === method && operation.path === path);
}

function byId(id: string): Operation {
  const operation = operations.find((candidate) => candidate.id === id);
  if (!operation) throw new Error(`no operation ${id}`);
  return operation;
}

describe('the flagship operation list', () => {
  it('has unique camelCase operation ids', () => {
    const ids = operations.map((operation) => operation.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it.each([
    ['GET', '/purchase-orders', 'listPurchaseOrders', 'list'],
    ['POST', '/purchase-orders', 'createPurchaseOrder', 'create'],
    ['GET', '/purchase-orders/{id}', 'getPurchaseOrder', 'read'],
    ['PATCH', '/purchase-orders/{id}', 'updatePurchaseOrder', 'update'],
    ['DELETE', '/purchase-orders/{id}', 'deletePurchaseOrder', 'delete'],
    ['POST', '/purchase-orders/bulk', 'bulkPurchaseOrders', 'bulk'],
    ['POST', '/purchase-orders/{id}/submit', 'submitPurchaseOrder', 'transition'],
    ['POST', '/purchase-orders/{id}/cancel', 'cancelPurchaseOrder', 'transition'],
    ['GET', '/purchase-orders/{id}/history', 'listPurchaseOrderHistory', 'history'],
    ['GET', '/purchase-orders/{purchaseOrderId}/lines', 'listPurchaseOrderLines', 'list'],
    ['POST', '/purchase-orders/{purchaseOrderId}/lines', 'createPurchaseOrderLine', 'create'],
    ['PATCH', '/purchase-orders/{purchaseOrderId}/lines/{id}', 'updatePurchaseOrderLine', 'update'],
    ['POST', '/purchase-orders/{purchaseOrderId}/lines/bulk', 'bulkPurchaseOrderLines', 'bulk'],
    ['GET', '/stock-levels/{productId}/{locationId}', 'getStockLevel', 'read'],
    ['GET', '/supplier-products/{supplierId}/{productId}', 'getSupplierProduct', 'read'],
    ['POST', '/stock-movements', 'createStockMovement', 'create'],
    ['GET', '/audit', 'listAuditEntries', 'audit'],
  ])('%s %s is %s', (method, path, id, kind) => {
    const operation = find(method, path);
    expect(operation?.id).toBe(id);
    expect(operation?.kind).toBe(kind);
    expect(operation?.fullPath).toBe(`/api/v1${path}`);
  });

  it('gives Fastify paths with the base path', () => {
    expect(byId('submitPurchaseOrder').fastifyPath).toBe('/api/v1/purchase-orders/:id/submit');
    expect(byId('getStockLevel').fastifyPath).toBe('/api/v1/stock-levels/:productId/:locationId');
  });

  it('serves stock levels read-only and the ledger append-only', () => {
    const stockLevels = operations.filter((operation) => operation.entity === 'stock_level');
    expect(stockLevels.map((operation) => operation.method)).toEqual(['GET', 'GET']);
    expect(find('PATCH', '/stock-movements/{id}')).toBeUndefined();
    expect(find('DELETE', '/stock-movements/{id}')).toBeUndefined();
    expect(byId('bulkStockMovements').bulkOperations).toEqual(['create']);
  });

  it('allows upsert only where a unique target exists', () => {
    expect(byId('bulkProducts').bulkOperations).toEqual(['create', 'update', 'upsert', 'delete']);
    expect(byId('bulkSupplierProducts').bulkOperations).toContain('upsert');
  });

  it('takes the access rule from the model', () => {
    expect(byId('cancelPurchaseOrder').access).toEqual({ kind: 'roles', roles: ['purchaser', 'admin'] });
    expect(byId('listProducts').access).toEqual({ kind: 'authenticated' });
    expect(byId('listAuditEntries').access).toEqual({ kind: 'roles', roles: ['admin'] });
    expect(byId('bulkProducts').bulkAccess?.upsert).toHaveLength(2);
  });

  it('reads the conditional and idempotency headers where docs/api.md says', () => {
    expect(byId('getPurchaseOrder').headers).toEqual(['If-None-Match']);
    expect(byId('updatePurchaseOrder').headers).toEqual(['If-Match']);
    expect(byId('deletePurchaseOrder').headers).toEqual(['If-Match']);
    expect(byId('submitPurchaseOrder').headers).toEqual(['If-Match', 'Idempotency-Key']);
    for (const operation of operations.filter((candidate) => candidate.method === 'POST')) {
      expect(operation.headers).toContain('Idempotency-Key');
    }
  });
});

describe('statuses each operation can really answer', () => {
  const statuses = (operation: Operation) => Object.keys(operation.responses);

  it('answers 401 only when access is not `any`, 403 only for roles', () => {
    for (const operation of operations) {
      const rules = operation.bulkAccess ? Object.values(operation.bulkAccess).flat() : [operation.access];
      expect(statuses(operation).includes('401'), operation.id).toBe(
        rules.some((rule) => rule?.kind !== 'any'),
      );
      expect(statuses(operation).includes('403'), operation.id).toBe(
        rules.some((rule) => rule?.kind === 'roles'),
      );
    }
  });

  it('answers 404 on item routes and nested collections only', () => {
    expect(statuses(byId('listPurchaseOrders'))).not.toContain('404');
    expect(statuses(byId('createPurchaseOrder'))).not.toContain('404');
    expect(statuses(byId('listPurchaseOrderLines'))).toContain('404');
    expect(statuses(byId('createPurchaseOrderLine'))).toContain('404');
    for (const operation of operations.filter((candidate) => candidate.path.endsWith('}'))) {
      expect(statuses(operation), operation.id).toContain('404');
    }
  });

  it('answers 304 on reads, 412 where If-Match applies (428 only where it is required), 422 and 415 on bodies', () => {
    for (const operation of operations) {
      expect(statuses(operation).includes('304'), operation.id).toBe(operation.kind === 'read');
      if (operation.headers.includes('If-Match')) expect(statuses(operation), operation.id).toContain('412');
      const required =
        model.entities.find((entity) => entity.name === operation.entity)?.ifMatch === 'required';
      expect(statuses(operation).includes('428'), operation.id).toBe(
        required && operation.headers.includes('If-Match'),
      );
      expect(statuses(operation).includes('422'), operation.id).toBe(operation.body !== undefined);
      expect(statuses(operation).includes('415'), operation.id).toBe(operation.body !== undefined);
    }
  });

  it('answers 409 on transitions and on writes that can conflict', () => {
    expect(byId('submitPurchaseOrder').responses['409']?.errorCodes).toContain('INVALID_TRANSITION');
    expect(byId('createProduct').responses['409']?.errorCodes).toContain('UNIQUE_VIOLATION');
    expect(byId('createPurchaseOrder').responses['409']?.errorCodes).toContain('REFERENCE_VIOLATION');
    // Lines cascade with their order: deleting an order meets no reference.
    expect(statuses(byId('deletePurchaseOrder'))).not.toContain('409');
    // Purchase orders restrict deleting their destination location.
    expect(byId('deleteLocation').responses['409']?.errorCodes).toEqual(['REFERENCE_VIOLATION']);
    // Soft delete keeps the row, so references never block it.
    expect(statuses(byId('deleteProduct'))).not.toContain('409');
  });

  it('answers 429, 500 and 503 everywhere, with the error envelope on every error status', () => {
    for (const operation of operations) {
      for (const status of ['429', '500', '503']) expect(statuses(operation), operation.id).toContain(status);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(response.schema, `${operation.id} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        expect(response.errorCodes?.length, `${operation.id} ${status}`).toBeGreaterThan(0);
      }
    }
    expect(byId('listProducts').responses['429']?.headers).toContain('Retry-After');
    expect(byId('createProduct').responses['201']?.headers).toEqual(
      expect.arrayContaining(['Location', 'ETag', 'Idempotent-Replayed']),
    );
    expect(byId('getProduct').responses['200']?.headers).not.toContain('Idempotent-Replayed');
  });

  it('gives every list paging, a page schema and its filters', () => {
    for (const operation of operations.filter((candidate) => candidate.kind === 'list')) {
      const names = operation.queryParams.map((parameter) => parameter.name);
      expect(names).toEqual(expect.arrayContaining(['limit', 'cursor', 'fields', 'count']));
      expect(operation.responses['200']?.schema?.$ref).toMatch(/Page$/);
      expect(operation.filters.length).toBeGreaterThan(0);
    }
    const products = byId('listProducts');
    expect(products.queryParams.map((parameter) => parameter.name)).toContain('q');
    const status = byId('listPurchaseOrders').filters.find((filter) => filter.property === 'status');
    expect(status?.operators).toEqual(['eq', 'ne', 'in']);
    const expectedOn = byId('listPurchaseOrders').filters.find((filter) => filter.property === 'expectedOn');
    expect(expectedOn?.operators).toEqual(['eq', 'ne', 'in', 'is', 'lt', 'lte', 'gt', 'gte']);
    expect(byId('listPurchaseOrders').sortable).toEqual(
      expect.arrayContaining(['id', 'number', 'status', 'supplierId']),
    );
  });
});

describe('the operation list drives a real Fastify app', () => {
  it('registers every route and validates with the flat querystring schema', async () => {
    const components = buildSchemas(model);
    const bodies = createApiAjv();
    const urlParts = createApiAjv({ coerce: true });
    const app = Fastify();
    app.setValidatorCompiler(({ schema, httpPart }) =>
      (httpPart === 'body' ? bodies : urlParts).compile(schema as object),
    );
    for (const operation of [...operations, ...buildServiceOperations(model)]) {
      const schemas = requestSchemas(operation, components);
      app.route({
        method: operation.method,
        url: operation.fastifyPath,
        schema: { ...schemas },
        handler: async (request) => ({
          operation: operation.id,
          query: request.query,
          params: request.params,
        }),
      });
    }
    await app.ready();
    const get = (url: string) => app.inject({ method: 'GET', url });

    const list = await get('/api/v1/purchase-orders?status[in]=draft,submitted&sort=-number&limit=20');
    expect(list.statusCode).toBe(200);
    expect(list.json().query).toEqual({
      'status[in]': 'draft,submitted',
      sort: '-number',
      limit: 20,
      count: false,
    });
    expect((await get('/api/v1/purchase-orders?status[in]=draft,bogus')).statusCode).toBe(400);
    expect((await get('/api/v1/purchase-orders?sort=colour')).statusCode).toBe(400);
    expect((await get('/api/v1/purchase-orders?limit=501')).statusCode).toBe(400);
    expect((await get('/api/v1/purchase-orders?colour=red')).statusCode).toBe(400);
    expect((await get('/api/v1/purchase-orders?expectedOn[gte]=2026-01-01&notes[is]=null')).statusCode).toBe(
      200,
    );
    expect((await get('/api/v1/purchase-orders?include=lines.product,supplier')).statusCode).toBe(200);
    expect((await get('/api/v1/purchase-orders?include=lines.product.a.b')).statusCode).toBe(400);
    expect((await get('/api/v1/purchase-orders?include=colour')).statusCode).toBe(400);

    const line = await get('/api/v1/purchase-orders/0190ee57-5e0d-7bfb-b50d-208762a5c8ab/lines/not-a-uuid');
    expect(line.statusCode).toBe(400);
    const level = await get(
      '/api/v1/stock-levels/0190ee57-5e0d-7bfb-b50d-208762a5c8ab/0190ee57-5e0d-7bfb-b50d-208762a5c8ac',
    );
    expect(level.json().operation).toBe('getStockLevel');
    expect((await get('/api/v1/stock-movements/42')).json().params).toEqual({ id: 42 });
    expect((await get('/health')).json().operation).toBe('getHealth');
    await app.close();
  });
});
