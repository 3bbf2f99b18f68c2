/**
 * Example values for documentation: the blueprint's `example:` first, then the default, then a
 * value made up from the field's kind and bounds. Made-up values are deterministic (ids derive
 * from the entity name, so a purchase order's `supplierId` is the supplier example's `id`).
 * A value that cannot satisfy the field (a pattern we cannot guess) gives no example at all,
 * rather than an example the document's own schema would reject.
 */
import type { Entity, Field, FieldKind } from '../../blueprint/model.js';
import { canonicalDecimal, compareDecimals } from './decimal.js';
import { decimalOptions } from './field-schemas.js';

const EXAMPLE_DATETIME = '2026-01-15T09:30:00.000Z';
const EXAMPLE_DATE = '2026-02-01';
const EXAMPLE_BIGINT_KEY = 1001;

/** A stable UUID v7-shaped value derived from a seed (FNV-1a), for examples only. */
export function exampleUuid(seed: string): string {
  let hex = '';
  for (let round = 0; hex.length < 32; round++) {
    let hash = 0x811c9dc5 ^ round;
    for (const char of `${seed}#${round}`) {
      hash ^= char.charCodeAt(0);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hex += hash.toString(16).padStart(8, '0');
  }
  const digits = `0190${hex.slice(4, 12)}7${hex.slice(13, 16)}${'89ab'[Number.parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 32)}`;
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20, 32)}`;
}

function fitString(text: string, field: Field): string | undefined {
  let value = text;
  const max = field.length ?? field.max;
  const min = field.length ?? field.min ?? 0;
  if (max !== undefined && value.length > max) value = value.slice(0, max);
  if (value.length < min) value = value.padEnd(min, 'X');
  if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value)) return undefined;
  return value;
}

function madeUpString(field: Field): string | undefined {
  const words = field.name.replace(/_/g, ' ');
  const fixed = field.length !== undefined && field.length <= 4;
  return fitString(fixed ? field.name.replace(/_/g, '').toUpperCase() : `Example ${words}`, field);
}

function formatDecimal(value: string, scale: number): string | undefined {
  const canonical = canonicalDecimal(value);
  if (canonical === undefined) return undefined;
  const [integer, fraction = ''] = canonical.split('.');
  if (fraction.length > scale) return undefined;
  return scale === 0 ? integer! : `${integer}.${fraction.padEnd(scale, '0')}`;
}

function madeUpDecimal(field: Field): string | undefined {
  const options = decimalOptions(field);
  let value = '12.5';
  if (options.minimum !== undefined && compareDecimals(value, options.minimum) < 0) value = options.minimum;
  if (options.maximum !== undefined && compareDecimals(value, options.maximum) > 0) value = options.maximum;
  if (options.not !== undefined && compareDecimals(value, options.not) === 0) return undefined;
  return formatDecimal(value, options.scale);
}

function madeUpInteger(field: Field): number | undefined {
  if (field.origin === 'key') return EXAMPLE_BIGINT_KEY;
  let value = 1;
  if (field.min !== undefined && value < field.min) value = field.min;
  if (field.max !== undefined && value > field.max) value = field.max;
  if (field.not === value) value += 1;
  return field.max !== undefined && value > field.max ? undefined : value;
}

const MADE_UP: Record<FieldKind, (field: Field, entity: Entity) => unknown> = {
  string: (field) => madeUpString(field),
  text: (field) => madeUpString(field),
  email: (field, entity) => fitString(`${entity.name.replace(/_/g, '.')}@example.com`, field),
  url: (field, entity) => fitString(`https://example.com/${entity.resourceSegment}`, field),
  integer: (field) => madeUpInteger(field),
  bigint: (field) => madeUpInteger(field),
  decimal: (field) => madeUpDecimal(field),
  boolean: () => true,
  date: () => EXAMPLE_DATE,
  datetime: () => EXAMPLE_DATETIME,
  uuid: (field, entity) => exampleUuid(field.origin === 'key' ? entity.name : `${entity.name}.${field.name}`),
  json: () => ({}),
  enum: (field) => field.enum?.values[0],
  // The referenced entity's example key, so examples agree; a self-reference gets its own value.
  reference: (field, entity) => {
    const target = field.reference?.entity ?? field.name;
    const seed = target === entity.name ? `${entity.name}.${field.name}` : target;
    if (field.sqlType !== 'bigint') return exampleUuid(seed);
    return target === entity.name ? EXAMPLE_BIGINT_KEY - 1 : EXAMPLE_BIGINT_KEY;
  },
};

/** The example value of a field as the API returns it; undefined when none can be made. */
export function fieldExample(field: Field, entity: Entity): unknown {
  if (field.name === 'version' && field.origin === 'system') return 1;
  const given = field.example ?? field.default;
  if (given !== undefined && given !== null) {
    return field.kind === 'decimal' ? formatDecimal(String(given), decimalOptions(field).scale) : given;
  }
  return MADE_UP[field.kind](field, entity);
}

/** An example read representation, or undefined when a required value cannot be made up. */
export function readExample(entity: Entity): Record<string, unknown> | undefined {
  const example: Record<string, unknown> = {};
  for (const field of entity.fields) {
    const value = fieldExample(field, entity);
    if (value === undefined && !field.nullable) return undefined;
    example[field.property] = value ?? null;
  }
  return example;
}

/** An example create body: required fields and fields with a blueprint example. */
export function createExample(entity: Entity, fields: readonly Field[]): Record<string, unknown> | undefined {
  const example: Record<string, unknown> = {};
  for (const field of fields) {
    if (!field.requiredOnCreate && field.example === undefined) continue;
    const value = fieldExample(field, entity);
    if (value === undefined) {
      if (field.requiredOnCreate) return undefined;
      continue;
    }
    example[field.property] = value;
  }
  return example;
}

/** An example update body: the first one or two plain updatable fields. */
export function updateExample(entity: Entity, fields: readonly Field[]): Record<string, unknown> | undefined {
  const example: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'reference' || field.kind === 'json') continue;
    const value = fieldExample(field, entity);
    if (value === undefined || value === null) continue;
    example[field.property] = value;
    if (Object.keys(example).length === 2) break;
  }
  return Object.keys(example).length > 0 ? example : undefined;
}

export { EXAMPLE_DATETIME };
