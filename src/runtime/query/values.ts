/**
 * Parsing query-string values by field kind (filters, cursors). Each kind has one parser, so a
 * new kind fails to compile until it says how its values are read from a URL.
 */
import type { Field, FieldKind } from '../../blueprint/model.js';

/** The parsed value, or `INVALID` when the text does not parse for the kind. */
export const INVALID: unique symbol = Symbol('invalid');
export type Parsed = unknown | typeof INVALID;

type ValueParser = (text: string, field: Field) => Parsed;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^-?\d{1,19}$/;
const DECIMAL = /^-?\d{1,40}(\.\d{1,40})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$/;

const asText: ValueParser = (text) => text;

const asInteger: ValueParser = (text) => {
  if (!INTEGER.test(text)) return INVALID;
  const value = Number(text);
  return value >= -2_147_483_648 && value <= 2_147_483_647 ? value : INVALID;
};

const asBigint: ValueParser = (text) => {
  if (!INTEGER.test(text)) return INVALID;
  const value = BigInt(text);
  if (value < -(2n ** 63n) || value >= 2n ** 63n) return INVALID;
  return Number.isSafeInteger(Number(text)) ? Number(text) : text;
};

const asUuid: ValueParser = (text) => (UUID.test(text) ? text.toLowerCase() : INVALID);

const asDate: ValueParser = (text) => {
  const match = DATE.exec(text);
  if (!match) return INVALID;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? text : INVALID;
};

const asDatetime: ValueParser = (text) =>
  DATETIME.test(text) && !Number.isNaN(Date.parse(text)) ? text : INVALID;

export const VALUE_PARSERS: Record<FieldKind, ValueParser> = {
  string: asText,
  text: asText,
  email: asText,
  url: asText,
  integer: asInteger,
  bigint: asBigint,
  decimal: (text) => (DECIMAL.test(text) ? text : INVALID),
  boolean: (text) => (text === 'true' ? true : text === 'false' ? false : INVALID),
  date: asDate,
  datetime: asDatetime,
  uuid: asUuid,
  json: () => INVALID,
  enum: (text, field) => (field.enum?.values.includes(text) ? text : INVALID),
  reference: (text, field) => (field.sqlType === 'bigint' ? asBigint(text, field) : asUuid(text, field)),
};

/** Parse one URL value for a field. */
export function parseValue(field: Field, text: string): Parsed {
  return VALUE_PARSERS[field.kind](text, field);
}
