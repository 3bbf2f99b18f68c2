/**
 * One entity's component schemas: read representation, create and update bodies, the list page,
 * the bulk request with its item shapes, and the status history entry.
 */

import {
  type Entity,
  type Field,
  getEntity,
  getField,
  type Model,
  type Relation,
} from '../../blueprint/model.js';
import { camelCase } from '../../blueprint/naming.js';
import { createExample, readExample, updateExample } from './examples.js';
import { keyValueSchema, readFieldSchema, writeFieldSchema } from './field-schemas.js';
import {
  COMMON_SCHEMAS,
  entitySchemaNames,
  enumSchemaName,
  humanName,
  humanPlural,
  schemaRef,
} from './names.js';
import type { BulkOperationName, JsonSchema } from './types.js';

/** Key fields in key order (the generated `id`, or the composite key's references). */
export function keyFields(entity: Entity): Field[] {
  return entity.key.fields.map((name) => getField(entity, name));
}

/** Fields a client sends on create: creatable, without the parent reference (it comes from the path). */
export function createFields(entity: Entity): Field[] {
  return entity.fields.filter((field) => field.creatable && field.name !== entity.parent?.field);
}

/** Fields a client may change with PATCH. */
export function updateFields(entity: Entity): Field[] {
  return entity.fields.filter((field) => field.updatable);
}

/** `onConflict` targets for bulk upsert: unique fields, unique groups and a composite key, as property lists. */
export function conflictTargets(entity: Entity): string[] {
  const property = (name: string) => getField(entity, name).property;
  const targets: string[] = [];
  if (entity.key.kind === 'composite') targets.push(entity.key.fields.map(property).join(','));
  for (const field of entity.fields) if (field.unique) targets.push(field.property);
  for (const group of entity.uniques) {
    const target = group.fields.map(property).join(',');
    if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}

/**
 * Relations `include=` can embed: those whose other side is readable and whose name is not
 * already a property of the entity.
 */
export function includableRelations(model: Model, entity: Entity): Relation[] {
  return entity.relations.filter(
    (relation) =>
      getEntity(model, relation.entity).access.read.kind !== 'none' &&
      !entity.fields.some((field) => field.property === relation.name),
  );
}

function objectSchema(
  description: string,
  properties: Record<string, JsonSchema>,
  required: readonly string[],
): JsonSchema {
  const schema: JsonSchema = { type: 'object', description };
  if (required.length > 0) schema.required = [...required];
  schema.properties = properties;
  return schema;
}

/** Properties of the read representation: every column, then the relations `include=` may embed. */
function readProperties(model: Model, entity: Entity): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = {};
  for (const field of entity.fields) properties[field.property] = readFieldSchema(field);
  for (const relation of includableRelations(model, entity)) {
    const other = getEntity(model, relation.entity);
    const target = schemaRef(entitySchemaNames(other).read);
    const holder = relation.kind === 'one' ? getField(entity, relation.field) : undefined;
    properties[relation.name] =
      relation.kind === 'one'
        ? {
            ...(holder?.nullable ? { anyOf: [target, { type: 'null' }] } : target),
            description: `The ${humanName(other)} \`${holder?.property}\` names; present with \`include=${relation.name}\`.`,
          }
        : {
            type: 'array',
            items: target,
            description: `The ${humanPlural(other)} that reference this ${humanName(entity)}; present with \`include=${relation.name}\`.`,
          };
  }
  return properties;
}

/**
 * The read representation: every column required except fields shown only to some roles
 * (`visible_to`), which other callers do not get; relations `include=` may embed.
 */
export function readSchema(model: Model, entity: Entity): JsonSchema {
  const schema = objectSchema(
    entity.description ?? `A ${humanName(entity)}.`,
    readProperties(model, entity),
    entity.fields.filter((field) => field.visibleTo === undefined).map((field) => field.property),
  );
  const example = readExample(entity);
  if (example) schema.examples = [example];
  return schema;
}

/**
 * The read representation as lists and item reads return it: `fields=` may select some
 * properties, so only the key is required (docs/api.md, "Lists").
 */
export function partialSchema(model: Model, entity: Entity): JsonSchema {
  return objectSchema(
    `${entity.description ?? `A ${humanName(entity)}.`} With \`fields=\`, only the chosen properties and the key.`,
    readProperties(model, entity),
    keyFields(entity).map((field) => field.property),
  );
}

export function createSchema(entity: Entity): JsonSchema {
  const fields = createFields(entity);
  const properties: Record<string, JsonSchema> = {};
  for (const field of fields) properties[field.property] = writeFieldSchema(field, { withDefault: true });
  const schema = objectSchema(
    `A new ${humanName(entity)}. Readonly, computed and system properties are refused (422).`,
    properties,
    fields.filter((field) => field.requiredOnCreate).map((field) => field.property),
  );
  schema.additionalProperties = false;
  const example = createExample(entity, fields);
  if (example) schema.examples = [example];
  return schema;
}

export function updateSchema(entity: Entity): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const fields = updateFields(entity);
  for (const field of fields) properties[field.property] = writeFieldSchema(field, { withDefault: false });
  const schema: JsonSchema = {
    type: 'object',
    description: `Changes to a ${humanName(entity)}: only the properties sent are changed (JSON merge patch).`,
    properties,
    minProperties: 1,
    additionalProperties: false,
  };
  const example = updateExample(entity, fields);
  if (example) schema.examples = [example];
  return schema;
}

export function pageSchema(entity: Entity): JsonSchema {
  return {
    type: 'object',
    description: `A page of ${humanPlural(entity)}.`,
    required: ['data', 'page'],
    properties: {
      data: { type: 'array', items: schemaRef(entitySchemaNames(entity).partial) },
      page: schemaRef(COMMON_SCHEMAS.pageInfo),
    },
  };
}

/** Key properties a bulk item carries: the key, less the parent reference that the path gives. */
function keyProperties(entity: Entity): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = {};
  for (const field of keyFields(entity)) {
    if (field.name !== entity.parent?.field) properties[field.property] = keyValueSchema(field);
  }
  return properties;
}

const VERSION_SCHEMA: JsonSchema = {
  type: 'integer',
  minimum: 1,
  description: 'Expected current version; a stale one fails the item with 412.',
};

/** A bulk `update` item: the key, the changes and an optional expected version. */
export function bulkUpdateItemSchema(entity: Entity): JsonSchema {
  const keys = keyProperties(entity);
  const properties: Record<string, JsonSchema> = { ...keys };
  for (const field of updateFields(entity)) {
    properties[field.property] = writeFieldSchema(field, { withDefault: false });
  }
  properties.version = VERSION_SCHEMA;
  return {
    type: 'object',
    description: `One ${humanName(entity)} to change: its key plus the properties to change.`,
    required: Object.keys(keys),
    properties,
    minProperties: Object.keys(keys).length + 1,
    additionalProperties: false,
  };
}

/** A bulk `delete` item: the key and an optional expected version. */
export function bulkDeleteItemSchema(entity: Entity): JsonSchema {
  const keys = keyProperties(entity);
  return {
    type: 'object',
    description: `One ${humanName(entity)} to delete.`,
    required: Object.keys(keys),
    properties: { ...keys, version: VERSION_SCHEMA },
    additionalProperties: false,
  };
}

/** Which item schema each bulk operation uses. */
export function bulkItemSchemaName(entity: Entity, operation: BulkOperationName): string {
  const names = entitySchemaNames(entity);
  if (operation === 'update') return names.bulkUpdateItem;
  if (operation === 'delete') return names.bulkDeleteItem;
  return names.create;
}

/**
 * The bulk request. Items are documented per operation (`if`/`then`); the runtime validates the
 * envelope first and each item on its own, so partial mode can answer per item.
 */
export function bulkRequestSchema(
  entity: Entity,
  operations: readonly BulkOperationName[],
  maxItems: number,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    operation: { type: 'string', enum: [...operations], description: 'What to do with every item.' },
  };
  const targets = operations.includes('upsert') ? conflictTargets(entity) : [];
  if (targets.length > 0) {
    properties.onConflict = {
      type: 'string',
      enum: targets,
      description: 'Upsert only: the unique property (or comma list of properties) that identifies an item.',
    };
  }
  properties.items = {
    type: 'array',
    minItems: 1,
    maxItems,
    items: { type: 'object' },
    description: `The items, at most ${maxItems} (more gives 413 PAYLOAD_TOO_LARGE). create and upsert items are create bodies; update items add the key and an optional version; delete items are the key and an optional version.`,
  };
  return {
    type: 'object',
    description: `A bulk ${operations.join(', ')} of ${humanPlural(entity)}.`,
    required: ['operation', 'items'],
    properties,
    additionalProperties: false,
    allOf: operations.map((operation) => ({
      if: { properties: { operation: { const: operation } } },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a promise.
      then: {
        properties: {
          items: { type: 'array', maxItems, items: schemaRef(bulkItemSchemaName(entity, operation)) },
        },
      },
    })),
  };
}

/** A status history row, for lifecycles with `history: true`. */
export function historyEntrySchema(model: Model, entity: Entity): JsonSchema {
  const lifecycle = entity.lifecycle!;
  const name = (column: string) => (model.api.jsonCase === 'camel' ? camelCase(column) : column);
  const stateField = getField(entity, lifecycle.field);
  const state = schemaRef(enumSchemaName(stateField.enum?.name ?? lifecycle.field));
  const properties: Record<string, JsonSchema> = { id: { type: 'integer', format: 'int64', minimum: 1 } };
  if (entity.key.kind !== 'composite') {
    properties[name(`${entity.name}_id`)] = keyValueSchema(keyFields(entity)[0]!);
  }
  Object.assign(properties, {
    [name('transition')]: {
      type: 'string',
      description: 'The transition taken; `create` for the first row, written when the row is created.',
    },
    [name('from_state')]: {
      anyOf: [state, { type: 'null' }],
      description: 'State before; null at creation.',
    },
    [name('to_state')]: { ...state, description: 'State after.' },
    [name('reason')]: { type: ['string', 'null'] },
    [name('actor')]: {
      type: 'string',
      description: 'Who made the change (`anonymous` when unauthenticated).',
    },
    [name('request_id')]: { type: ['string', 'null'], description: 'X-Request-Id of the request.' },
    [name('created_at')]: { type: 'string', format: 'date-time' },
  });
  return objectSchema(
    `A change of the ${humanName(entity)}'s ${lifecycle.field}.`,
    properties,
    Object.keys(properties),
  );
}

export function historyPageSchema(entity: Entity): JsonSchema {
  return {
    type: 'object',
    description: `Status history of a ${humanName(entity)}, oldest first.`,
    required: ['data', 'page'],
    properties: {
      data: { type: 'array', items: schemaRef(entitySchemaNames(entity).historyEntry) },
      page: schemaRef(COMMON_SCHEMAS.pageInfo),
    },
  };
}
