/**
 * JSON Schema of one field, per kind (the table in docs/api.md). Read schemas describe what the
 * API returns; write schemas what it accepts (decimals as strings or numbers, bounds checked
 * exactly by `x-decimal`).
 */
import type { Field, FieldKind } from '../../blueprint/model.js';
import { type DecimalOptions, decimalPattern } from './decimal.js';
import { enumSchemaName, schemaRef } from './names.js';
import type { JsonSchema } from './types.js';

const INT32 = { minimum: -2147483648, maximum: 2147483647 } as const;
/**
 * The integers JSON carries exactly between implementations (RFC 8259, section 6): ±(2^53 - 1).
 * A parser that reads numbers as doubles, JavaScript's included, rounds a bigint beyond it
 * (9007199254740993 arrives as ...992), which would be stored without a word; it is refused.
 */
const JSON_SAFE_INTEGER = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } as const;

type Direction = 'read' | 'write';
type KindSchema = (field: Field, direction: Direction) => JsonSchema;

function stringBounds(field: Field): JsonSchema {
  const schema: JsonSchema = { type: 'string' };
  if (field.length !== undefined) {
    schema.minLength = field.length;
    schema.maxLength = field.length;
  } else {
    if (field.min !== undefined) schema.minLength = field.min;
    if (field.max !== undefined) schema.maxLength = field.max;
  }
  if (field.pattern !== undefined) schema.pattern = field.pattern;
  return schema;
}

function numericBounds(field: Field, defaults: { minimum?: number; maximum?: number }): JsonSchema {
  const schema: JsonSchema = {};
  const minimum = field.min ?? defaults.minimum;
  const maximum = field.max ?? defaults.maximum;
  if (minimum !== undefined) schema.minimum = minimum;
  if (maximum !== undefined) schema.maximum = maximum;
  return schema;
}

/** The exact options of a decimal field for the `x-decimal` keyword. */
export function decimalOptions(field: Field): DecimalOptions {
  const options: { -readonly [K in keyof DecimalOptions]: DecimalOptions[K] } = {
    precision: field.precision ?? 18,
    scale: field.scale ?? 4,
  };
  const minimum = field.minText ?? (field.min === undefined ? undefined : String(field.min));
  const maximum = field.maxText ?? (field.max === undefined ? undefined : String(field.max));
  if (minimum !== undefined) options.minimum = minimum;
  if (maximum !== undefined) options.maximum = maximum;
  if (field.not !== undefined) options.not = String(field.not);
  return options;
}

function keySchema(sqlType: string): JsonSchema {
  return sqlType === 'bigint'
    ? { type: 'integer', format: 'int64', minimum: 1, maximum: JSON_SAFE_INTEGER.maximum }
    : { type: 'string', format: 'uuid' };
}

/** The value of a key part (the generated id, or a reference in a composite key) in a body or URL. */
export function keyValueSchema(field: Field): JsonSchema {
  return keySchema(field.sqlType);
}

const KIND_SCHEMAS: Record<FieldKind, KindSchema> = {
  string: (field) => stringBounds(field),
  text: (field) => stringBounds(field),
  email: (field) => ({ ...stringBounds(field), format: 'email' }),
  url: (field) => ({ ...stringBounds(field), format: 'uri' }),
  integer: (field) => ({ type: 'integer', format: 'int32', ...numericBounds(field, INT32) }),
  // the blueprint's own bounds where they are tighter than JSON's
  bigint: (field) => ({
    type: 'integer',
    format: 'int64',
    minimum: Math.max(field.min ?? JSON_SAFE_INTEGER.minimum, JSON_SAFE_INTEGER.minimum),
    maximum: Math.min(field.max ?? JSON_SAFE_INTEGER.maximum, JSON_SAFE_INTEGER.maximum),
  }),
  decimal: (field, direction) => {
    const options = decimalOptions(field);
    const pattern = decimalPattern(options.precision, options.scale);
    if (direction === 'read') return { type: 'string', format: 'decimal', pattern };
    return { type: ['string', 'number'], format: 'decimal', pattern, 'x-decimal': options };
  },
  boolean: () => ({ type: 'boolean' }),
  date: () => ({ type: 'string', format: 'date' }),
  datetime: () => ({ type: 'string', format: 'date-time' }),
  uuid: () => ({ type: 'string', format: 'uuid' }),
  json: () => ({}),
  enum: (field) => schemaRef(enumSchemaName(field.enum?.name ?? field.name)),
  reference: (field) => keySchema(field.sqlType),
};

/** Allow null: `type: [T, 'null']`, or `anyOf` around a `$ref`. JSON values already allow it. */
function nullable(schema: JsonSchema, field: Field): JsonSchema {
  if (field.kind === 'json') return schema;
  if (typeof schema.$ref === 'string') return { anyOf: [schema, { type: 'null' }] };
  const type = schema.type;
  return { ...schema, type: Array.isArray(type) ? [...type, 'null'] : [type, 'null'] };
}

function describe(schema: JsonSchema, field: Field): JsonSchema {
  const description = field.description ?? (field.kind === 'json' ? 'Any JSON value.' : undefined);
  return description === undefined ? { ...schema } : { description, ...schema };
}

/** Keep a blueprint `not:` for kinds other than decimal (decimals carry it in `x-decimal`). */
function forbidden(schema: JsonSchema, field: Field): JsonSchema {
  if (field.not === undefined || field.kind === 'decimal') return schema;
  return { ...schema, not: { const: field.not } };
}

/** The value of a field in a read representation. */
export function readFieldSchema(field: Field): JsonSchema {
  let schema = KIND_SCHEMAS[field.kind](field, 'read');
  if (field.nullable) schema = nullable(schema, field);
  schema = describe(schema, field);
  if (field.readonly) schema.readOnly = true;
  if (field.example !== undefined) schema.examples = [field.example];
  return schema;
}

/**
 * The value a client may send for a field. `withDefault` documents the default on create
 * bodies (never on updates, where a default would overwrite the stored value).
 */
export function writeFieldSchema(field: Field, options: { withDefault: boolean }): JsonSchema {
  let schema = forbidden(KIND_SCHEMAS[field.kind](field, 'write'), field);
  if (field.nullable) schema = nullable(schema, field);
  schema = describe(schema, field);
  if (options.withDefault && field.default !== undefined && field.default !== null) {
    schema.default = field.default;
  }
  if (field.example !== undefined) schema.examples = [field.example];
  return schema;
}

/** A path or filter value of a field, as text in a URL (integers are coerced by the validator). */
export function urlValueSchema(field: Field): JsonSchema {
  const schema = KIND_SCHEMAS[field.kind](field, 'read');
  if (field.kind === 'decimal') return { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' };
  if (field.kind === 'json') return { type: 'string' };
  if (field.kind === 'enum') return { type: 'string', enum: [...(field.enum?.values ?? [])] };
  if (field.kind === 'integer' || field.kind === 'bigint') return { type: 'integer', format: schema.format };
  if (schema.type === 'string' && schema.format === undefined) return { type: 'string' };
  return schema;
}
