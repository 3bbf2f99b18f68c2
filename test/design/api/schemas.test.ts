import { readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import {
  AJV_OPTIONS,
  addApiVocabulary,
  buildOperations,
  buildSchemas,
  bulkItemSchemas,
  createApiAjv,
  type JsonSchema,
  registerComponents,
  requestSchemas,
  selfContained,
} from '../../../src/design/api/index.js';

const model = await loadBlueprint('examples/inventory');
const schemas = buildSchemas(model);

type ObjectSchema = { properties: Record<string, JsonSchema>; required?: string[] } & JsonSchema;
const schema = (name: string) => schemas[name] as ObjectSchema;
const properties = (name: string) => Object.keys(schema(name).properties);

describe('component schemas of the flagship', () => {
  it('names them as docs/api.md does', () => {
    for (const name of [
      'PurchaseOrder',
      'PurchaseOrderCreate',
      'PurchaseOrderUpdate',
      'PurchaseOrderPage',
      'PurchaseOrderBulkRequest',
      'PurchaseOrderHistoryEntry',
      'BulkResult',
      'Error',
      'LocationKind',
      'PurchaseOrderStatus',
      'AuditEntry',
      'AuditPage',
    ]) {
      expect(schemas[name], name).toBeDefined();
    }
    expect(schemas.StockLevelCreate).toBeUndefined();
    expect(schemas.StockMovementUpdate).toBeUndefined();
  });

  it('reads every column, all required, including state, computed and system properties', () => {
    expect(properties('StockLevel')).toEqual(
      expect.arrayContaining([
        'productId',
        'locationId',
        'onHand',
        'available',
        'createdAt',
        'updatedAt',
        'version',
      ]),
    );
    expect(schema('StockLevel').required).toEqual(
      expect.arrayContaining(['available', 'onHand', 'createdAt', 'version']),
    );
    expect(schema('PurchaseOrder').properties.status).toMatchObject({
      $ref: '#/components/schemas/PurchaseOrderStatus',
      readOnly: true,
    });
    expect(schema('PurchaseOrder').required).toContain('status');
    expect(schema('PurchaseOrder').properties.expectedOn).toMatchObject({
      type: ['string', 'null'],
      format: 'date',
    });
    expect(properties('Product')).not.toContain('deletedAt');
    expect(properties('Product')).not.toContain('searchVector');
  });

  it('lists and reads return the partial representation: fields= may leave out all but the key', () => {
    expect(schema('PurchaseOrderPartial').required).toEqual(['id']);
    expect(schema('StockLevelPartial').required).toEqual(['productId', 'locationId']);
    expect(properties('PurchaseOrderPartial')).toEqual(properties('PurchaseOrder'));
    expect(schema('PurchaseOrderPage').properties.data?.items).toEqual({
      $ref: '#/components/schemas/PurchaseOrderPartial',
    });
    const read = buildOperations(model).find((operation) => operation.id === 'getPurchaseOrder')!;
    expect(read.responses['200']?.schema).toEqual({ $ref: '#/components/schemas/PurchaseOrderPartial' });
    const update = buildOperations(model).find((operation) => operation.id === 'updatePurchaseOrder')!;
    expect(update.responses['200']?.schema).toEqual({ $ref: '#/components/schemas/PurchaseOrder' });
  });

  it('lets include= embed relations without requiring them', () => {
    expect(schema('PurchaseOrder').properties.lines).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/PurchaseOrderLine' },
    });
    expect(schema('PurchaseOrder').properties.supplier).toMatchObject({
      $ref: '#/components/schemas/Supplier',
    });
    expect(schema('PurchaseOrder').required).not.toContain('lines');
  });

  it('accepts only writable properties on create and update', () => {
    expect(properties('PurchaseOrderCreate')).toEqual([
      'number',
      'supplierId',
      'destinationId',
      'currency',
      'expectedOn',
      'notes',
    ]);
    expect(schema('PurchaseOrderCreate').required).toEqual(['number', 'supplierId', 'destinationId']);
    expect(schema('PurchaseOrderCreate').additionalProperties).toBe(false);
    // The parent comes from the path; qtyReceived is readonly.
    expect(properties('PurchaseOrderLineCreate')).toEqual(['lineNo', 'productId', 'qtyOrdered', 'unitCost']);
    expect(properties('PurchaseOrderLineUpdate')).not.toContain('purchaseOrderId');
    expect(properties('PurchaseOrderLineUpdate')).not.toContain('qtyReceived');
    expect(schema('PurchaseOrderUpdate')).toMatchObject({ minProperties: 1, additionalProperties: false });
    expect(schema('PurchaseOrderUpdate').required).toBeUndefined();
    // Defaults document create bodies only: on PATCH a default would overwrite the stored value.
    expect(schema('PurchaseOrderCreate').properties.currency?.default).toBe('USD');
    expect(schema('PurchaseOrderUpdate').properties.currency?.default).toBeUndefined();
  });

  it('prints decimals as strings with the pattern and accepts numbers on writes', () => {
    expect(schema('StockLevel').properties.available).toMatchObject({
      type: 'string',
      format: 'decimal',
      pattern: '^-?(0|[1-9][0-9]{0,13})(\\.[0-9]{1,4})?$',
    });
    expect(schema('PurchaseOrderLineCreate').properties.qtyOrdered).toMatchObject({
      type: ['string', 'number'],
      'x-decimal': { precision: 18, scale: 4, minimum: '0.0001' },
    });
    expect(schema('StockMovementCreate').properties.qtyDelta?.['x-decimal']).toEqual({
      precision: 18,
      scale: 4,
      not: '0',
    });
  });

  it('carries the blueprint examples', () => {
    expect(schema('Product').properties.sku?.examples).toEqual(['SKU-10042']);
    expect(schema('PurchaseOrder').properties.number?.examples).toEqual(['PO-2026-0042']);
    expect((schema('Location').examples as Record<string, unknown>[])[0]?.code).toBe('WH1-A-01');
    expect((schema('PurchaseOrderCreate').examples as Record<string, unknown>[])[0]?.number).toBe(
      'PO-2026-0042',
    );
  });

  it('describes bulk items per operation, with the key and an optional version', () => {
    expect(schema('ProductBulkRequest').properties.operation?.enum).toEqual([
      'create',
      'update',
      'upsert',
      'delete',
    ]);
    expect(schema('ProductBulkRequest').properties.onConflict?.enum).toEqual(['sku']);
    expect(schema('SupplierProductBulkRequest').properties.onConflict?.enum).toEqual([
      'supplierId,productId',
      'supplierId,supplierSku',
    ]);
    expect(schema('ProductBulkUpdateItem').required).toEqual(['id']);
    expect(properties('ProductBulkUpdateItem')).toEqual(expect.arrayContaining(['id', 'version', 'name']));
    expect(schema('SupplierProductBulkDeleteItem').required).toEqual(['supplierId', 'productId']);
    expect(schema('StockMovementBulkRequest').properties.operation?.enum).toEqual(['create']);
  });

  it('follows json_case: snake everywhere rows are concerned', async () => {
    const chat = buildSchemas(await loadBlueprint('examples/chat'));
    const names = Object.values(chat)
      .filter(
        (candidate) =>
          (candidate as ObjectSchema).properties && !('page' in (candidate as ObjectSchema).properties),
      )
      .flatMap((candidate) => Object.keys((candidate as ObjectSchema).properties));
    expect(names).toContain('created_at');
    expect(names).not.toContain('createdAt');
  });
});

describe('schemas usable by ajv', () => {
  const blueprints = readdirSync('examples', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it.each(blueprints)(
    'compiles every request and item schema of %s (2020-12 and draft-07), and every component',
    async (name) => {
      const example = await loadBlueprint(`examples/${name}`);
      const components = buildSchemas(example);
      const modern = createApiAjv();
      const draft7 = addApiVocabulary(new Ajv({ ...AJV_OPTIONS }));
      let compiled = 0;
      for (const operation of buildOperations(example)) {
        const all = [
          ...Object.values(requestSchemas(operation, components)),
          ...Object.values(bulkItemSchemas(operation, components)),
        ];
        for (const candidate of all) {
          modern.compile(candidate);
          draft7.compile(candidate);
          compiled++;
        }
      }
      expect(compiled).toBeGreaterThan(30);
      // Responses reference the read representations, which reference each other: compile them once.
      const validatorFor = registerComponents(createApiAjv(), components);
      for (const component of Object.keys(components))
        expect(typeof validatorFor(component)).toBe('function');
    },
  );

  it('refuses readonly, computed and unknown properties by name instead of dropping them', () => {
    const validate = createApiAjv().compile(selfContained(schemas.PurchaseOrderCreate!, schemas));
    const order = {
      number: 'PO-1',
      supplierId: '0190ee57-5e0d-7bfb-b50d-208762a5c8ab',
      destinationId: '0190ee57-5e0d-7bfb-b50d-208762a5c8ac',
    };
    expect(validate(order)).toBe(true);
    expect(validate({ ...order, status: 'received' })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'status' } }),
    );
    expect(validate({ ...order, expectedOn: 'soon' })).toBe(false);
    expect(validate({ ...order, expectedOn: null })).toBe(true);
  });

  it('checks a bulk envelope on its own and each item with its schema', () => {
    const bulk = buildOperations(model).find((operation) => operation.id === 'bulkPurchaseOrderLines')!;
    const ajv = createApiAjv();
    const envelope = ajv.compile(requestSchemas(bulk, schemas).body!);
    const items = bulkItemSchemas(bulk, schemas);
    // Lines are unique by (purchaseOrderId, lineNo), so they can be upserted.
    expect(Object.keys(items)).toEqual(['create', 'update', 'upsert', 'delete']);
    const body = { operation: 'create', items: [{ lineNo: 1 }, { bogus: true }] };
    expect(envelope(body)).toBe(true);
    expect(envelope({ operation: 'merge', items: [{}] })).toBe(false);
    expect(envelope({ operation: 'create', items: [] })).toBe(false);
    const create = ajv.compile(items.create!);
    expect(
      create({ lineNo: 1, productId: '0190ee57-5e0d-7bfb-b50d-208762a5c8ab', qtyOrdered: 1, unitCost: '2' }),
    ).toBe(true);
    const update = ajv.compile(items.update!);
    expect(update({ id: '0190ee57-5e0d-7bfb-b50d-208762a5c8ab', qtyOrdered: '3', version: 2 })).toBe(true);
    expect(update({ id: '0190ee57-5e0d-7bfb-b50d-208762a5c8ab' })).toBe(false);
    const remove = ajv.compile(items.delete!);
    expect(remove({ id: '0190ee57-5e0d-7bfb-b50d-208762a5c8ab', version: 1 })).toBe(true);
  });

  it('needs a reason exactly when the transition says so', () => {
    const ajv = createApiAjv();
    const cancel = buildOperations(model).find((operation) => operation.id === 'cancelPurchaseOrder')!;
    const submit = buildOperations(model).find((operation) => operation.id === 'submitPurchaseOrder')!;
    expect(cancel.body?.required).toBe(true);
    expect(submit.body?.required).toBe(false);
    const withReason = ajv.compile(requestSchemas(cancel, schemas).body!);
    expect(withReason({})).toBe(false);
    expect(withReason({ reason: 'Supplier cannot deliver' })).toBe(true);
    expect(withReason({ reason: 'x', status: 'draft' })).toBe(false);
  });
});
