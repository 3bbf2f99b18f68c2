/**
 * Text-format parsers and parameter serializers shared by both drivers, keyed by type OID, so
 * PGlite and postgres.js hand the same JavaScript values to the rest of the runtime (the table
 * is in `driver.ts`). Both sessions run with `TimeZone=UTC` and `DateStyle=ISO`.
 */

/** Built-in type OIDs (`pg_type.oid`), stable across PostgreSQL versions. */
export const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** `int8`: a number when exact, else the exact decimal string (never a BigInt, which JSON cannot carry). */
export function parseInt8(text: string): number | string {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : text;
}

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?$/;

const DIGITS_1_TO_6 = /^\d{1,6}$/;
const DATE_TIME_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

/**
 * The common case without the general pattern: a `timestamptz` the session (TimeZone=UTC) prints
 * as `2024-05-01 10:20:30[.123456]+00`. Anything else is left to `parseTimestamp`'s parser.
 */
function utcTimestamp(text: string): string | undefined {
  const length = text.length;
  if (length < 22 || !text.endsWith('+00') || !DATE_TIME_TEXT.test(text)) return undefined;
  const day = text.slice(0, 10);
  const time = text.slice(11, 19);
  if (length === 22) return `${day}T${time}.000Z`;
  if (text.charCodeAt(19) !== 46 /* . */) return undefined;
  const fraction = text.slice(20, length - 3);
  if (!DIGITS_1_TO_6.test(fraction)) return undefined;
  const micros = fraction.padEnd(6, '0');
  return `${day}T${time}.${micros.endsWith('000') ? micros.slice(0, 3) : micros}Z`;
}

/**
 * `timestamptz` / `timestamp` text (`2024-05-01 10:20:30.123456+00`) to ISO 8601. Milliseconds
 * are always printed, microseconds only when present, so a value written from a JavaScript
 * `toISOString()` reads back as the same text and a database `now()` keeps its full precision
 * (which keyset cursors over timestamps need). Values outside years 0001-9999 (`infinity`, BC)
 * are returned as PostgreSQL prints them.
 */
export function parseTimestamp(text: string, withZone: boolean): string {
  const fast = withZone ? utcTimestamp(text) : undefined;
  if (fast !== undefined) return fast;
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return text;
  const [
    ,
    year,
    month,
    day,
    hour,
    minute,
    second,
    fraction = '',
    sign,
    offsetHours,
    offsetMinutes,
    offsetSeconds,
  ] = match;
  const micros = fraction.padEnd(6, '0');
  const fractionText = micros.endsWith('000') ? micros.slice(0, 3) : micros;
  let dateTime = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  const offset =
    sign === undefined
      ? 0
      : (sign === '-' ? -1 : 1) *
        (Number(offsetHours) * 3600 + Number(offsetMinutes ?? 0) * 60 + Number(offsetSeconds ?? 0));
  if (offset !== 0) {
    const utc =
      Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) -
      offset * 1000;
    const shifted = new Date(utc);
    if (shifted.getUTCFullYear() < 1 || shifted.getUTCFullYear() > 9999) return text;
    dateTime = shifted.toISOString().slice(0, 19);
  }
  return `${dateTime}.${fractionText}${withZone ? 'Z' : ''}`;
}

function serializeTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  return String(value);
}

function serializeDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/**
 * JSON parameters: a string is taken as JSON text already (the node-postgres and PGlite
 * convention, so `JSON.stringify(x)` works), anything else is stringified. To store a JSON
 * string value, pass `JSON.stringify('text')`.
 */
function serializeJson(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const identity = (text: string): string => text;

/** Parsers by OID (array types get theirs from the element parser in each driver). */
export const PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: identity,
  [OID.date]: identity,
  [OID.timestamp]: (text) => parseTimestamp(text, false),
  [OID.timestamptz]: (text) => parseTimestamp(text, true),
  [OID.json]: (text) => JSON.parse(text),
  [OID.jsonb]: (text) => JSON.parse(text),
};

/** Parameter serializers by OID (the parameter's type as the server infers it). */
export const SERIALIZERS: Readonly<Record<number, (value: unknown) => string>> = {
  [OID.date]: serializeDate,
  [OID.timestamp]: serializeTimestamp,
  [OID.timestamptz]: serializeTimestamp,
  [OID.json]: serializeJson,
  [OID.jsonb]: serializeJson,
};
