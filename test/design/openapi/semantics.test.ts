/** What the flagship's OpenAPI document says, asserted value by value (no snapshots). */
import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import { buildOperations } from '../../../src/design/api/index.js';
import { buildAuthOperations } from '../../../src/design/api/operations.js';
import { emitOpenApi } from '../../../src/design/openapi/index.js';

const model = await loadBlueprint('examples/inventory');
const document = emitOpenApi(model);

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'patch', 'delete'] as const;

function operationsOf(path: string): Json {
  const item = document.paths[path] as Json | undefined;
  if (!item) throw new Error(`no path ${path}`);
  return item;
}

function operation(path: string, method: (typeof METHODS)[number]): Json {
  const found = operationsOf(path)[method] as Json | undefined;
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
}

function allOperations(): { path: string; method: string; operation: Json }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Json)[method]).map((method) => ({
      path,
      method,
      operation: (item as Json)[method] as Json,
    })),
  );
}

function parameterNames(op: Json): string[] {
  return (op.parameters as Json[]).map((parameter) => {
    const ref = parameter.$ref as string | undefined;
    if (!ref) return parameter.name as string;
    const name = ref.split('/').at(-1)!;
    return (document.components.parameters?.[name]?.name as string) ?? name;
  });
}

describe('the flagship OpenAPI document', () => {
  it('is OpenAPI 3.1 with info, a local server and a tag per entity', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Inventory & Purchase Orders', version: 'v1' });
    expect(document.info.description).toContain('append-only stock');
    expect(document.servers).toEqual([{ url: 'http://localhost:3000', description: expect.any(String) }]);
    expect(document.tags.map((tag) => tag.name)).toEqual([
      'Locations',
      'Suppliers',
      'Products',
      'Supplier products',
      'Stock levels',
      'Stock movements',
      'Purchase orders',
      'Purchase order lines',
      'Audit',
      'Auth',
      'Operations',
    ]);
    for (const tag of document.tags) expect(tag.description.length).toBeGreaterThan(10);
  });

  it('documents exactly the routes the runtime registers, plus the operations endpoints', () => {
    const documented = allOperations().map(({ operation: op }) => op.operationId);
    const served = buildOperations(model).map((op) => op.id);
    const identity = buildAuthOperations(model).map((op) => op.id);
    expect(documented).toEqual([
      ...served,
      ...identity,
      'getHealth',
      'getReadiness',
      'getMetrics',
      'getOpenApiDocument',
      'getApiReference',
    ]);
  });

  it('has the routes docs/api.md names for the flagship', () => {
    expect(operation('/api/v1/purchase-orders/{id}/submit', 'post').operationId).toBe('submitPurchaseOrder');
    expect(operation('/api/v1/purchase-orders/{purchaseOrderId}/lines', 'get').operationId).toBe(
      'listPurchaseOrderLines',
    );
    expect(Object.keys(operationsOf('/api/v1/stock-movements/{id}'))).toEqual(['parameters', 'get']);
    expect(Object.keys(operationsOf('/api/v1/stock-levels'))).toEqual(['get']);
    expect(Object.keys(operationsOf('/api/v1/stock-levels/{productId}/{locationId}'))).toEqual([
      'parameters',
      'get',
    ]);
    expect(
      (operationsOf('/api/v1/stock-levels/{productId}/{locationId}').parameters as Json[]).map((p) => p.name),
    ).toEqual(['productId', 'locationId']);
  });

  it('gives every operation a summary, a description, a tag and a unique camelCase id', () => {
    const ids = new Set<string>();
    for (const { path, method, operation: op } of allOperations()) {
      const where = `${method} ${path}`;
      expect(op.summary, where).toEqual(expect.any(String));
      expect((op.description as string).length, where).toBeGreaterThan(20);
      expect(op.tags, where).toHaveLength(1);
      expect(op.operationId, where).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(ids.has(op.operationId as string), where).toBe(false);
      ids.add(op.operationId as string);
    }
  });

  it('secures operations from model.auth: bearer tokens and the password session cookie', () => {
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      cookieAuth: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'architect_session' }),
    });
    expect(operation('/api/v1/products', 'get').security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(operation('/health', 'get').security).toEqual([]);
    expect(operation('/api/v1/audit', 'get').description).toContain('`admin`');
  });

  it('puts the error envelope on every error status, through shared responses', () => {
    for (const { path, method, operation: op } of allOperations()) {
      if (path.startsWith('/api/')) {
        for (const status of ['400', '429', '500', '503']) {
          expect((op.responses as Json)[status], `${method} ${path} ${status}`).toBeDefined();
        }
      }
      for (const [status, response] of Object.entries(op.responses as Json)) {
        if (Number(status) < 400 || path === '/ready') continue;
        expect((response as Json).$ref, `${method} ${path} ${status}`).toMatch(/^#\/components\/responses\//);
      }
    }
    const tooMany = document.components.responses?.TooManyRequests;
    expect(Object.keys(tooMany?.headers ?? {})).toContain('Retry-After');
    expect(tooMany?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(document.components.schemas?.Error?.required).toEqual(['error']);
  });

  it('returns ETag, Location and the request id where the runtime sets them', () => {
    const created = (operation('/api/v1/products', 'post').responses as Json)['201'] as Json;
    expect(Object.keys(created.headers as Json)).toEqual(
      expect.arrayContaining(['Location', 'ETag', 'X-Request-Id']),
    );
    const read = operation('/api/v1/products/{id}', 'get').responses as Json;
    expect(Object.keys((read['200'] as Json).headers as Json)).toContain('ETag');
    expect(read['304']).toBeDefined();
    expect(parameterNames(operation('/api/v1/products/{id}', 'get'))).toContain('If-None-Match');
    expect(parameterNames(operation('/api/v1/products/{id}', 'patch'))).toContain('If-Match');
    expect(parameterNames(operation('/api/v1/products', 'post'))).toContain('Idempotency-Key');
  });

  it('pages every list with shared limit and cursor parameters and deepObject filters', () => {
    expect(document.components.parameters?.Limit?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: 50,
    });
    for (const { path, operation: op } of allOperations()) {
      if (!(op.operationId as string).startsWith('list') || op.operationId === 'listPurchaseOrderHistory')
        continue;
      expect(parameterNames(op), path).toEqual(expect.arrayContaining(['limit', 'cursor']));
      const schema = (((op.responses as Json)['200'] as Json).content as Json)['application/json'] as Json;
      expect((schema.schema as Json).$ref, path).toMatch(/Page$/);
    }
    const status = (operation('/api/v1/purchase-orders', 'get').parameters as Json[]).find(
      (p) => p.name === 'status',
    );
    expect(status).toMatchObject({ in: 'query', style: 'deepObject', explode: true });
    expect(Object.keys((status!.schema as Json).properties as Json)).toEqual(['eq', 'ne', 'in']);
    expect(parameterNames(operation('/api/v1/products', 'get'))).toContain('q');
  });

  it('describes bodies with the write schemas, PATCH also as merge patch', () => {
    const body = operation('/api/v1/purchase-orders/{purchaseOrderId}/lines', 'post').requestBody as Json;
    expect(body.content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/PurchaseOrderLineCreate' } },
    });
    const patch = operation('/api/v1/products/{id}', 'patch').requestBody as Json;
    expect(Object.keys(patch.content as Json)).toEqual(['application/json', 'application/merge-patch+json']);
    expect((operation('/api/v1/purchase-orders/{id}/cancel', 'post').requestBody as Json).required).toBe(
      true,
    );
    expect((operation('/api/v1/purchase-orders/{id}/submit', 'post').requestBody as Json).required).toBe(
      false,
    );
  });

  it('keeps only components something uses', () => {
    const text = JSON.stringify(document.paths) + JSON.stringify(document.components);
    for (const [section, entries] of Object.entries(document.components)) {
      if (section === 'securitySchemes') continue;
      for (const name of Object.keys(entries as Json)) {
        expect(text, `${section}/${name}`).toContain(`"#/components/${section}/${name}"`);
      }
    }
  });

  it('shows blueprint examples in responses', () => {
    const read = (operation('/api/v1/products/{id}', 'get').responses as Json)['200'] as Json;
    const example = ((read.content as Json)['application/json'] as Json).example as Json;
    expect(example.sku).toBe('SKU-10042');
    expect(example.reorderPoint).toMatch(/^\d+\.\d{4}$/);
  });
});
