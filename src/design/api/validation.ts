/**
 * Self-contained schemas for validation and serialization: the component references of an
 * operation's schemas are copied under `$defs`, so ajv and fast-json-stringify need nothing
 * else. Each call returns fresh objects (validators may annotate what they compile).
 */
import { SCHEMA_REF_PREFIX } from './names.js';
import type { ComponentSchemas } from './schemas.js';
import type { BulkOperationName, JsonSchema, Operation } from './types.js';

const DEFS_PREFIX = '#/$defs/';

function referencedNames(value: unknown, found: Set<string>, components: ComponentSchemas): void {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, found, components);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF_PREFIX)) {
      const name = child.slice(SCHEMA_REF_PREFIX.length);
      if (found.has(name)) continue;
      const target = components[name];
      if (!target) throw new Error(`No component schema ${name}`);
      found.add(name);
      referencedNames(target, found, components);
    } else {
      referencedNames(child, found, components);
    }
  }
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF_PREFIX)
        ? `${DEFS_PREFIX}${child.slice(SCHEMA_REF_PREFIX.length)}`
        : rewrite(child);
  }
  return copy;
}

/**
 * A copy of `schema` whose component references point into its own `$defs`.
 *
 * @example
 * selfContained({ $ref: '#/components/schemas/PurchaseOrder' }, buildSchemas(model))
 * // { $ref: '#/$defs/PurchaseOrder', $defs: { PurchaseOrder: {...}, PurchaseOrderStatus: {...}, ... } }
 */
export function selfContained(schema: JsonSchema, components: ComponentSchemas): JsonSchema {
  const names = new Set<string>();
  referencedNames(schema, names, components);
  const copy = rewrite(schema) as JsonSchema;
  if (names.size === 0) return copy;
  const defs: Record<string, unknown> = {};
  for (const name of [...names].sort()) defs[name] = rewrite(components[name]);
  return { ...copy, $defs: defs };
}

/** Every component under `$defs`, references rewritten to point there (see `registerComponents`). */
export function componentsAsDefs(components: ComponentSchemas): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(components)) defs[name] = rewrite(schema) as JsonSchema;
  return defs;
}

export interface RequestSchemas {
  readonly params?: JsonSchema;
  readonly querystring?: JsonSchema;
  readonly body?: JsonSchema;
}

/** The component a `{ $ref }` names, or undefined for an inline schema. */
function componentOf(schema: JsonSchema, components: ComponentSchemas): JsonSchema | undefined {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith(SCHEMA_REF_PREFIX)) return undefined;
  return components[ref.slice(SCHEMA_REF_PREFIX.length)];
}

/**
 * What the runtime validates for an operation: params, querystring and body, self-contained.
 * A bulk body is checked as an envelope only (each item is checked on its own with
 * `bulkItemSchemas`, so partial mode can answer per item).
 */
export function requestSchemas(operation: Operation, components: ComponentSchemas): RequestSchemas {
  const schemas: { -readonly [K in keyof RequestSchemas]: RequestSchemas[K] } = {};
  if (operation.params) schemas.params = structuredClone(operation.params);
  if (operation.query) schemas.querystring = selfContained(operation.query, components);
  if (operation.body) {
    let body = operation.body.schema;
    if (operation.kind === 'bulk') {
      const { allOf: _itemsByOperation, ...envelope } = componentOf(body, components) ?? body;
      // The item cap is the handler's 413, not a validation error (docs/api.md, "Bulk").
      const properties = envelope.properties as Record<string, JsonSchema>;
      const { maxItems: _cap, ...items } = properties.items ?? {};
      body = { ...envelope, properties: { ...properties, items } };
    }
    schemas.body = selfContained(body, components);
  }
  return schemas;
}

/** The schema of each item of a bulk operation, self-contained, per bulk operation name. */
export function bulkItemSchemas(
  operation: Operation,
  components: ComponentSchemas,
): Partial<Record<BulkOperationName, JsonSchema>> {
  const items: Partial<Record<BulkOperationName, JsonSchema>> = {};
  const request = operation.body ? componentOf(operation.body.schema, components) : undefined;
  const branches = (request?.allOf ?? []) as JsonSchema[];
  for (const branch of branches) {
    const name = (branch.if as { properties: { operation: { const: BulkOperationName } } }).properties
      .operation.const;
    const schema = (branch.then as { properties: { items: { items: JsonSchema } } }).properties.items.items;
    items[name] = selfContained(schema, components);
  }
  return items;
}

/** Response body schemas by status, self-contained (for serialization and contract checks). */
export function responseSchemas(
  operation: Operation,
  components: ComponentSchemas,
): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    if (response.schema) schemas[status] = selfContained(response.schema, components);
  }
  return schemas;
}
