/**
 * `buildSchemas(model)`: every component schema the operations reference, keyed by component
 * name (`PurchaseOrder`, `PurchaseOrderCreate`, `Error` ...). The OpenAPI document prints them
 * under `components.schemas`; the runtime inlines them for ajv with `requestSchemas()`.
 */
import type { Entity, Model } from '../../blueprint/model.js';
import { entityCapabilities } from './capabilities.js';
import { commonSchemas } from './common-schemas.js';
import {
  bulkDeleteItemSchema,
  bulkRequestSchema,
  bulkUpdateItemSchema,
  createSchema,
  historyEntrySchema,
  historyPageSchema,
  pageSchema,
  partialSchema,
  readSchema,
  updateSchema,
} from './entity-schemas.js';
import { entitySchemaNames, enumSchemaName } from './names.js';
import type { JsonSchema } from './types.js';

/** Component schemas by name. */
export type ComponentSchemas = Readonly<Record<string, JsonSchema>>;

function enumSchemas(model: Model): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const declared of model.enums) {
    const users = model.entities.flatMap((entity) =>
      entity.fields
        .filter((field) => field.enum?.name === declared.name)
        .map((field) => `\`${entity.name}.${field.name}\``),
    );
    schemas[enumSchemaName(declared.name)] = {
      type: 'string',
      enum: [...declared.values],
      description: `The blueprint enum \`${declared.name}\`${users.length > 0 ? `, used by ${users.join(', ')}` : ''}.`,
    };
  }
  for (const entity of model.entities) {
    const lifecycle = entity.lifecycle;
    if (!lifecycle) continue;
    const state = entity.fields.find((field) => field.origin === 'lifecycle');
    const name = enumSchemaName(state?.enum?.name ?? `${entity.name}_${lifecycle.field}`);
    schemas[name] = {
      type: 'string',
      enum: [...lifecycle.states],
      description: `Lifecycle state of a ${entity.name.replace(/_/g, ' ')}; initial: \`${lifecycle.initial}\`.`,
    };
  }
  return schemas;
}

function entitySchemas(model: Model, entity: Entity): Record<string, JsonSchema> {
  const names = entitySchemaNames(entity);
  const can = entityCapabilities(entity);
  const schemas: Record<string, JsonSchema> = {};
  if (!can.read) return schemas;
  schemas[names.read] = readSchema(model, entity);
  schemas[names.partial] = partialSchema(model, entity);
  if (can.create) schemas[names.create] = createSchema(entity);
  if (can.update) schemas[names.update] = updateSchema(entity);
  schemas[names.page] = pageSchema(entity);
  if (can.bulk.length > 0) {
    schemas[names.bulkRequest] = bulkRequestSchema(entity, can.bulk, model.api.bulk.maxItems);
    if (can.bulk.includes('update')) schemas[names.bulkUpdateItem] = bulkUpdateItemSchema(entity);
    if (can.bulk.includes('delete')) schemas[names.bulkDeleteItem] = bulkDeleteItemSchema(entity);
  }
  if (can.history) {
    schemas[names.historyEntry] = historyEntrySchema(model, entity);
    schemas[names.historyPage] = historyPageSchema(entity);
  }
  return schemas;
}

/**
 * Every component schema of the model's API, in a stable order: enums, then each entity's
 * schemas in declaration order, then the shared ones.
 *
 * @example
 * const schemas = buildSchemas(model);
 * schemas.PurchaseOrderCreate.required // ['number', 'supplierId', 'destinationId']
 */
export function buildSchemas(model: Model): ComponentSchemas {
  const schemas: Record<string, JsonSchema> = { ...enumSchemas(model) };
  for (const entity of model.entities) Object.assign(schemas, entitySchemas(model, entity));
  Object.assign(schemas, commonSchemas(model));
  return schemas;
}
