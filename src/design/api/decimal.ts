/**
 * Exact decimals: the pattern of a `numeric(p,s)` value in JSON and the `x-decimal` keyword that
 * checks precision, scale and bounds digit by digit. Numbers are never converted through floating
 * point arithmetic: a JSON number is read back as the shortest text that round-trips
 * (`String(n)`), which is the value the client wrote, then compared as a string of digits.
 */
import type { ErrorObject, KeywordDefinition } from 'ajv';

/** Options of the `x-decimal` keyword (bounds as exact decimal strings). */
export interface DecimalOptions {
  readonly precision: number;
  readonly scale: number;
  readonly minimum?: string;
  readonly maximum?: string;
  readonly not?: string;
}

/** A decimal split into sign and digits: `-12.50` -> { negative, integer: '12', fraction: '5' }. */
interface DecimalParts {
  readonly negative: boolean;
  /** Without leading zeros (`''` for zero). */
  readonly integer: string;
  /** Without trailing zeros. */
  readonly fraction: string;
}

const PLAIN = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;
const EXPONENT = /^(-?)([0-9]+)(?:\.([0-9]+))?e([+-]?[0-9]+)$/i;

/**
 * The pattern a `numeric(precision, scale)` value matches as a JSON string: at most
 * `precision - scale` integer digits without leading zeros, at most `scale` fraction digits.
 *
 * @example decimalPattern(18, 4) // '^-?(0|[1-9][0-9]{0,13})(\\.[0-9]{1,4})?$'
 */
export function decimalPattern(precision: number, scale: number): string {
  const integerDigits = precision - scale;
  const integer = integerDigits <= 0 ? '0' : `(0|[1-9][0-9]{0,${integerDigits - 1}})`;
  const fraction = scale > 0 ? `(\\.[0-9]{1,${scale}})?` : '';
  return `^-?${integer}${fraction}$`;
}

/** Any plain decimal literal (filters accept values of any length; the database compares). */
export const ANY_DECIMAL_PATTERN = '^-?[0-9]+(\\.[0-9]+)?$';

/**
 * Read a JSON string or number as exact decimal digits; undefined when it is not a plain decimal
 * (strings must be written as digits: `"1e3"` is refused, the number `1e3` is accepted).
 */
function parseDecimal(value: string | number): DecimalParts | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const text = Object.is(value, -0) ? '0' : String(value);
    const exponent = EXPONENT.exec(text);
    if (exponent) return shift(exponent[1] === '-', exponent[2]!, exponent[3] ?? '', Number(exponent[4]));
    return fromPlain(text);
  }
  return fromPlain(value);
}

function fromPlain(text: string): DecimalParts | undefined {
  const match = PLAIN.exec(text);
  if (!match) return undefined;
  return normalizeParts(match[1] === '-', match[2]!, match[3] ?? '');
}

/** Move the decimal point of `integer.fraction` by `exponent` places. */
function shift(negative: boolean, integer: string, fraction: string, exponent: number): DecimalParts {
  const digits = integer + fraction;
  const point = integer.length + exponent;
  if (point <= 0) return normalizeParts(negative, '', '0'.repeat(-point) + digits);
  if (point >= digits.length) return normalizeParts(negative, digits + '0'.repeat(point - digits.length), '');
  return normalizeParts(negative, digits.slice(0, point), digits.slice(point));
}

function normalizeParts(negative: boolean, integer: string, fraction: string): DecimalParts {
  const trimmedInteger = integer.replace(/^0+/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  const isZero = trimmedInteger === '' && trimmedFraction === '';
  return { negative: negative && !isZero, integer: trimmedInteger, fraction: trimmedFraction };
}

/** Compare magnitudes digit-wise: -1, 0 or 1. */
function compareMagnitude(a: DecimalParts, b: DecimalParts): number {
  if (a.integer.length !== b.integer.length) return a.integer.length < b.integer.length ? -1 : 1;
  if (a.integer !== b.integer) return a.integer < b.integer ? -1 : 1;
  const width = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(width, '0');
  const fb = b.fraction.padEnd(width, '0');
  if (fa === fb) return 0;
  return fa < fb ? -1 : 1;
}

function compareParts(a: DecimalParts, b: DecimalParts): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const magnitude = compareMagnitude(a, b);
  return a.negative ? -magnitude : magnitude;
}

/**
 * Compare two exact decimals given as strings or numbers: -1, 0 or 1.
 *
 * @example compareDecimals('0.00001', '0.0001') // -1
 */
export function compareDecimals(a: string | number, b: string | number): number {
  const left = parseDecimal(a);
  const right = parseDecimal(b);
  if (!left || !right) throw new TypeError(`Not a decimal: ${left ? b : a}`);
  return compareParts(left, right);
}

/** Canonical text of a decimal (`"012.50"` -> `"12.5"`); undefined when it is not one. */
export function canonicalDecimal(value: string | number): string | undefined {
  const parts = parseDecimal(value);
  if (!parts) return undefined;
  const integer = parts.integer === '' ? '0' : parts.integer;
  return `${parts.negative ? '-' : ''}${integer}${parts.fraction ? `.${parts.fraction}` : ''}`;
}

type DecimalError = Pick<ErrorObject, 'keyword' | 'message' | 'params'>;

/** Problems of a value against `x-decimal` options; empty when it is valid. */
export function checkDecimal(value: unknown, options: DecimalOptions): DecimalError[] {
  if (typeof value !== 'string' && typeof value !== 'number') return [];
  const parts = parseDecimal(value);
  if (!parts) {
    return [
      {
        keyword: 'format',
        message: 'must be a decimal number written with digits, like "12.5"',
        params: { format: 'decimal' },
      },
    ];
  }
  const errors: DecimalError[] = [];
  const integerDigits = options.precision - options.scale;
  if (parts.integer.length > integerDigits || parts.fraction.length > options.scale) {
    errors.push({
      keyword: 'x-decimal',
      message: `must have at most ${integerDigits} digits before the decimal point and ${options.scale} after it`,
      params: { precision: options.precision, scale: options.scale },
    });
  }
  const bound = (limit: string | undefined) => (limit === undefined ? undefined : parseDecimal(limit));
  const minimum = bound(options.minimum);
  if (minimum && compareParts(parts, minimum) < 0) {
    errors.push({
      keyword: 'minimum',
      message: `must be >= ${options.minimum}`,
      params: { comparison: '>=', limit: options.minimum },
    });
  }
  const maximum = bound(options.maximum);
  if (maximum && compareParts(parts, maximum) > 0) {
    errors.push({
      keyword: 'maximum',
      message: `must be <= ${options.maximum}`,
      params: { comparison: '<=', limit: options.maximum },
    });
  }
  const forbidden = bound(options.not);
  if (forbidden && compareParts(parts, forbidden) === 0) {
    errors.push({ keyword: 'not', message: `must not be ${options.not}`, params: { value: options.not } });
  }
  return errors;
}

interface ValidateWithErrors {
  (schema: DecimalOptions, data: unknown): boolean;
  errors?: DecimalError[];
}

const validateDecimal: ValidateWithErrors = (schema, data) => {
  const errors = checkDecimal(data, schema);
  validateDecimal.errors = errors;
  return errors.length === 0;
};

/**
 * The ajv keyword `x-decimal: { precision, scale, minimum?, maximum?, not? }`, checked exactly on
 * strings and numbers. Errors carry the keyword a client recognises (`minimum`, `maximum`, `not`,
 * `format`, or `x-decimal` for too many digits) and a message such as `must be >= 0.0001`.
 *
 * @example
 * const ajv = new Ajv2020(); ajv.addKeyword(decimalKeyword);
 */
export const decimalKeyword: KeywordDefinition = {
  keyword: 'x-decimal',
  type: ['string', 'number'],
  schemaType: 'object',
  errors: true,
  validate: validateDecimal,
  metaSchema: {
    type: 'object',
    required: ['precision', 'scale'],
    properties: {
      precision: { type: 'integer', minimum: 1 },
      scale: { type: 'integer', minimum: 0 },
      minimum: { type: 'string' },
      maximum: { type: 'string' },
      not: { type: 'string' },
    },
    additionalProperties: false,
  },
};
