/**
 * Does a default or an example fit its field? The same rules the database and the API enforce
 * (type, enum values, bounds, length, pattern), so a blueprint cannot ship a default that every
 * insert would reject.
 */
import { didYouMean } from '../diagnostics.js';
import type { FieldKind } from '../model.js';
import type { Dict } from './context.js';

export interface ValueProblem {
  readonly detail: string;
  readonly hint?: string;
}

type ValueCheck = (value: unknown, field: Dict, enumValues?: readonly string[]) => ValueProblem | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const checkText: ValueCheck = (value, field) => {
  if (typeof value !== 'string') return { detail: 'expected a string' };
  if (typeof field.max === 'number' && value.length > field.max)
    return { detail: `longer than max ${field.max}` };
  if (typeof field.min === 'number' && value.length < field.min)
    return { detail: `shorter than min ${field.min}` };
  if (typeof field.length === 'number' && value.length !== field.length)
    return { detail: `length must be ${field.length}` };
  if (typeof field.pattern === 'string') {
    try {
      if (!new RegExp(field.pattern, 'u').test(value)) return { detail: `does not match ${field.pattern}` };
    } catch {
      return undefined; // the pattern itself is reported elsewhere
    }
  }
  if (field.not !== undefined && field.not === value)
    return { detail: `equals the forbidden value ${field.not}` };
  return undefined;
};

const checkInteger: ValueCheck = (value, field) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) return { detail: 'expected an integer' };
  return checkBounds(value, field);
};

/** One check per kind: adding a kind to the language fails to compile until it is handled here. */
const VALUE_CHECKS: Record<FieldKind, ValueCheck> = {
  string: checkText,
  text: checkText,
  url: (value, field) =>
    checkText(value, field) ??
    (/^https?:\/\/\S+$/.test(value as string) ? undefined : { detail: 'not an http or https URL' }),
  email: (value, field) =>
    checkText(value, field) ??
    (/^[^@\s]+@[^@\s]+$/.test(value as string) ? undefined : { detail: 'not an email address' }),
  integer: checkInteger,
  bigint: checkInteger,
  decimal: (value, field) => {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || Number.isNaN(number)) return { detail: 'expected a decimal number' };
    return checkBounds(number, field);
  },
  boolean: (value) => (typeof value === 'boolean' ? undefined : { detail: 'expected true or false' }),
  date: (value) =>
    typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))
      ? undefined
      : { detail: 'expected a date as YYYY-MM-DD' },
  datetime: (value) =>
    typeof value === 'string' && !Number.isNaN(Date.parse(value))
      ? undefined
      : { detail: 'expected an ISO 8601 date-time' },
  uuid: (value) =>
    typeof value === 'string' && UUID.test(value) ? undefined : { detail: 'expected a UUID' },
  json: () => undefined,
  enum: (value, _field, enumValues) => {
    if (typeof value === 'string' && enumValues?.includes(value)) return undefined;
    return {
      detail: `not one of ${enumValues?.join(', ')}`,
      hint: typeof value === 'string' ? didYouMean(value, enumValues ?? []) : undefined,
    };
  },
  reference: () => ({
    detail: 'a reference cannot have a fixed value',
    hint: 'Remove it; the client sends the key of the referenced row.',
  }),
};

/** What is wrong with a default or example for a field of `kind`, or undefined when it fits. */
export function checkValue(
  value: unknown,
  field: Dict,
  kind: string,
  enumValues: readonly string[] | undefined,
): ValueProblem | undefined {
  if (value === null) return field.optional === true ? undefined : { detail: 'null on a required field' };
  return (VALUE_CHECKS as Record<string, ValueCheck | undefined>)[kind]?.(value, field, enumValues);
}

function checkBounds(value: number, field: Dict): ValueProblem | undefined {
  if (typeof field.min === 'number' && value < field.min) return { detail: `below min ${field.min}` };
  if (typeof field.max === 'number' && value > field.max) return { detail: `above max ${field.max}` };
  if (field.not !== undefined && Number(field.not) === value)
    return { detail: `equals the forbidden value ${field.not}` };
  return undefined;
}
