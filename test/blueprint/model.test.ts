/**
 * The normalized model of the flagship, asserted as data: names, paths, keys, indexes, checks,
 * relations and defaults. Emitters are tested on their own text; this pins what they all read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkBlueprintText,
  getEntity,
  getField,
  loadBlueprint,
  type Model,
} from '../../src/blueprint/index.js';

let model: Model;
beforeAll(async () => {
  model = await loadBlueprint('examples/inventory');
});

describe('the flagship model', () => {
  it('resolves names once: tables, schema names, paths, tags', () => {
    const order = getEntity(model, 'purchase_order');
    expect(order).toMatchObject({
      table: 'purchase_orders',
      pascalName: 'PurchaseOrder',
      camelName: 'purchaseOrder',
      pascalPlural: 'PurchaseOrders',
      collectionPath: '/purchase-orders',
      itemPath: '/purchase-orders/{id}',
      resourceSegment: 'purchase-orders',
      tag: 'Purchase orders',
    });
    expect(model.entities.map((entity) => entity.table)).toEqual([
      'locations',
      'suppliers',
      'products',
      'supplier_products',
      'stock_levels',
      'stock_movements',
      'purchase_orders',
      'purchase_order_lines',
    ]);
    expect(model.api).toMatchObject({ basePath: '/api/v1', jsonCase: 'camel' });
  });

  it('nests child routes under the parent and binds the parent key from the path', () => {
    const line = getEntity(model, 'purchase_order_line');
    expect(line.collectionPath).toBe('/purchase-orders/{purchaseOrderId}/lines');
    expect(line.itemPath).toBe('/purchase-orders/{purchaseOrderId}/lines/{id}');
    expect(line.collectionParams.map((param) => [param.name, param.column])).toEqual([
      ['purchaseOrderId', 'purchase_order_id'],
    ]);
    expect(line.parent).toEqual({
      entity: 'purchase_order',
      field: 'purchase_order',
      column: 'purchase_order_id',
      property: 'purchaseOrderId',
    });
    const parentField = getField(line, 'purchase_order');
    expect(parentField.updatable).toBe(false);
  });

  it('has uuid, bigint identity and composite keys', () => {
    expect(getEntity(model, 'product').key).toEqual({
      kind: 'uuid',
      fields: ['id'],
      columns: ['id'],
      constraint: 'products_pkey',
    });
    expect(getField(getEntity(model, 'product'), 'id').sqlDefault).toBe('architect_uuid_v7()');
    const movement = getEntity(model, 'stock_movement');
    expect(movement.key.kind).toBe('bigint');
    expect(getField(movement, 'id').sqlDefault).toBe('GENERATED ALWAYS AS IDENTITY');
    const level = getEntity(model, 'stock_level');
    expect(level.key).toMatchObject({ kind: 'composite', columns: ['product_id', 'location_id'] });
    expect(level.itemPath).toBe('/stock-levels/{productId}/{locationId}');
    expect(level.fields.some((field) => field.name === 'id')).toBe(false);
  });

  it('maps references to <name>_id columns with a foreign key and a covering index', () => {
    const order = getEntity(model, 'purchase_order');
    const supplier = getField(order, 'supplier');
    expect(supplier).toMatchObject({
      column: 'supplier_id',
      property: 'supplierId',
      kind: 'reference',
      sqlType: 'uuid',
    });
    expect(supplier.reference).toEqual({
      entity: 'supplier',
      table: 'suppliers',
      column: 'id',
      onDelete: 'restrict',
      constraint: 'purchase_orders_supplier_id_fkey',
      index: 'purchase_orders_supplier_id_idx',
      deferred: false,
    });
    // Every foreign key is covered by an index that leads with its column.
    for (const entity of model.entities) {
      for (const field of entity.fields.filter((candidate) => candidate.reference)) {
        const index = field.reference!.index;
        const covering =
          index === entity.key.constraint
            ? entity.key.columns[0]
            : entity.indexes.find((candidate) => candidate.name === index)?.columns[0];
        expect(covering, `${entity.name}.${field.name}`).toBe(field.column);
      }
    }
    // The composite key covers its first column; a declared index covers product on the ledger.
    expect(getField(getEntity(model, 'supplier_product'), 'supplier').reference?.index).toBe(
      'supplier_products_pkey',
    );
    expect(getField(getEntity(model, 'stock_movement'), 'product').reference?.index).toBe(
      'stock_movements_product_id_location_id_id_idx',
    );
  });

  it('makes soft-deleted unique values unique among live rows only', () => {
    const product = getEntity(model, 'product');
    expect(product.softDelete).toBe(true);
    expect(product.indexes.find((index) => index.name === 'products_sku_key')).toMatchObject({
      columns: ['sku'],
      unique: true,
      where: 'deleted_at IS NULL',
    });
    expect(product.search).toEqual({
      fields: ['sku', 'name'],
      columns: ['sku', 'name'],
      column: 'search_vector',
    });
    expect(product.indexes.find((index) => index.reason === 'search')?.method).toBe('gin');
  });

  it('turns field options and named checks into named constraints', () => {
    const movement = getEntity(model, 'stock_movement');
    expect(movement.checks.find((check) => check.field === 'qty_delta')).toMatchObject({
      constraint: 'stock_movements_qty_delta_not',
      sql: 'qty_delta <> 0',
      generated: true,
    });
    const location = getEntity(model, 'location');
    expect(location.checks.find((check) => check.name === 'sublocation_has_parent')).toMatchObject({
      constraint: 'locations_sublocation_has_parent',
      sql: "kind <> 'sublocation' OR parent_id IS NOT NULL",
      message: 'A sublocation needs a parent location',
      columns: ['kind', 'parent_id'],
      generated: false,
    });
    expect(location.checks.find((check) => check.name === 'kind_enum')?.sql).toBe(
      "kind IN ('warehouse', 'sublocation', 'transit', 'virtual')",
    );
  });

  it('applies defaults typed for the kind', () => {
    const level = getEntity(model, 'stock_level');
    expect(getField(level, 'on_hand')).toMatchObject({
      default: '0',
      sqlDefault: '0',
      sqlType: 'numeric(18,4)',
    });
    expect(getField(getEntity(model, 'supplier'), 'currency')).toMatchObject({
      default: 'USD',
      sqlDefault: "'USD'",
    });
    expect(getField(getEntity(model, 'location'), 'kind')).toMatchObject({
      kind: 'enum',
      default: 'warehouse',
      enum: { name: 'location_kind', values: ['warehouse', 'sublocation', 'transit', 'virtual'] },
      requiredOnCreate: false,
    });
    expect(getField(getEntity(model, 'supplier'), 'email')).toMatchObject({ nullable: true, max: 254 });
    expect(getField(level, 'available')).toMatchObject({
      origin: 'computed',
      computed: 'on_hand - reserved',
      sqlType: 'numeric(18,4)',
      readonly: true,
      nullable: false,
    });
  });

  it('derives the lifecycle: state column, transitions, access and history', () => {
    const order = getEntity(model, 'purchase_order');
    const lifecycle = order.lifecycle!;
    expect(lifecycle).toMatchObject({
      column: 'status',
      initial: 'draft',
      historyTable: 'purchase_order_status_history',
    });
    expect(lifecycle.transitions.find((transition) => transition.name === 'cancel')).toEqual({
      name: 'cancel',
      from: ['draft', 'submitted', 'confirmed'],
      to: 'cancelled',
      access: { kind: 'roles', roles: ['purchaser', 'admin'] },
      reason: 'required',
      pathSegment: 'cancel',
    });
    expect(getField(order, 'status')).toMatchObject({
      origin: 'lifecycle',
      readonly: true,
      sqlDefault: "'draft'",
    });
    expect(order.access.delete).toEqual({ kind: 'roles', roles: ['admin'] });
    expect(order.access.read).toEqual({ kind: 'authenticated' });
  });

  it('lists relations both ways, naming children after their route segment', () => {
    const order = getEntity(model, 'purchase_order');
    expect(order.relations.map((relation) => `${relation.kind}:${relation.name}`)).toEqual([
      'one:supplier',
      'one:destination',
      'many:lines',
    ]);
    expect(getEntity(model, 'supplier').relations.map((relation) => relation.name)).toEqual([
      'supplierProducts',
      'purchaseOrders',
    ]);
  });

  it('orders tables so every referenced table comes first', () => {
    const position = new Map(model.creationOrder.map((name, index) => [name, index]));
    for (const entity of model.entities) {
      for (const field of entity.fields) {
        if (!field.reference || field.reference.deferred || field.reference.entity === entity.name) continue;
        expect(position.get(field.reference.entity)!).toBeLessThan(position.get(entity.name)!);
      }
    }
  });

  it('records flags and sizing', () => {
    const level = getEntity(model, 'stock_level');
    expect(level).toMatchObject({ writable: false, realtime: true, cache: { ttlSeconds: 60 } });
    expect(getEntity(model, 'stock_movement').appendOnly).toBe(true);
    expect(model.hasAudit).toBe(true);
    expect(model.requirements.data).toEqual({
      product: 100000,
      stock_movement: 20000000,
      purchase_order: 50000,
    });
    expect(model.tenancy).toEqual({ kind: 'none' });
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.entities[0]!.fields[0])).toBe(true);
    expect(() => {
      (model.entities as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });
});

describe('defaults of a minimal blueprint', () => {
  it('fills in every setting the blueprint leaves out', async () => {
    const text = [
      'blueprint: 1',
      'name: notes_app',
      'entities:',
      '  note:',
      '    fields:',
      '      body: text',
      '      amount: { type: decimal, optional: true }',
      '    lifecycle: { initial: open, states: [open, done], transitions: { finish: { from: open, to: done } } }',
    ].join('\n');
    const { model: minimal, diagnostics } = await checkBlueprintText(text, 'notes.yaml');
    expect(diagnostics).toEqual([]);
    expect(minimal).toMatchObject({
      title: 'Notes App',
      api: {
        version: 'v1',
        basePath: '/api/v1',
        jsonCase: 'camel',
        pagination: { defaultLimit: 50, maxLimit: 500 },
        bulk: { maxItems: 5000 },
        idempotencyTtlSeconds: 86400,
      },
      requirements: { peakRps: 100, readShare: 0.8, consistency: 'strong', availability: 99.9 },
      auth: { methods: ['password', 'api_key'], roles: ['admin'] },
      tenancy: { kind: 'none' },
      hasAudit: false,
    });
    const note = getEntity(minimal!, 'note');
    expect(note.access).toEqual({
      read: { kind: 'authenticated' },
      create: { kind: 'authenticated' },
      update: { kind: 'authenticated' },
      delete: { kind: 'authenticated' },
    });
    expect(getField(note, 'amount')).toMatchObject({
      precision: 18,
      scale: 4,
      sqlType: 'numeric(18,4)',
      nullable: true,
    });
    expect(getField(note, 'body')).toMatchObject({ kind: 'text', requiredOnCreate: true, nullable: false });
    expect(note.lifecycle).toMatchObject({ column: 'status', historyTable: undefined });
    expect(note.lifecycle!.transitions[0]).toMatchObject({
      reason: 'optional',
      access: { kind: 'authenticated' },
    });
    expect(note.fields.map((field) => field.column)).toEqual([
      'id',
      'body',
      'amount',
      'status',
      'created_at',
      'updated_at',
      'version',
    ]);
  });

  it('reads a JSON blueprint with the same positions and the same model', async () => {
    const json = JSON.stringify(
      { blueprint: 1, name: 'shop', entities: { item: { fields: { name: { type: 'string', max: 10 } } } } },
      null,
      2,
    );
    const result = await checkBlueprintText(json, 'blueprint.json');
    expect(result.diagnostics).toEqual([]);
    expect(getEntity(result.model!, 'item').location).toEqual({ file: 'blueprint.json', line: 5, column: 5 });
  });
});
