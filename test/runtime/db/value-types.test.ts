/**
 * Timestamp text as PostgreSQL prints it (DateStyle ISO) becomes the ISO 8601 text the API
 * answers with, on the UTC fast path and on the general parser alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../src/runtime/db/value-types.js';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** A UTC instant with microseconds, in years 0001-9999, and the fraction digits PostgreSQL prints. */
const instant = fc.record({
  ms: fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
  micro: fc.integer({ min: 0, max: 999 }),
});

function parts(ms: number, micro: number) {
  const date = new Date(ms);
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
  const time = `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  const micros = pad(date.getUTCMilliseconds() * 1000 + micro, 6);
  // PostgreSQL drops trailing zeros of the fraction, and the fraction itself when it is zero.
  const printed = micros.replace(/0+$/, '');
  return { day, time, micros, printed };
}

function expected(day: string, time: string, micros: string, zone: string): string {
  return `${day}T${time}.${micros.endsWith('000') ? micros.slice(0, 3) : micros}${zone}`;
}

describe('parseTimestamp', () => {
  it('reads timestamptz printed in UTC as ISO 8601 with milliseconds, and microseconds when present', () => {
    fc.assert(
      fc.property(instant, ({ ms, micro }) => {
        const { day, time, micros, printed } = parts(ms, micro);
        const text = `${day} ${time}${printed ? `.${printed}` : ''}+00`;
        expect(parseTimestamp(text, true)).toBe(expected(day, time, micros, 'Z'));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads timestamp without zone the same way, without the Z', () => {
    fc.assert(
      fc.property(instant, ({ ms, micro }) => {
        const { day, time, micros, printed } = parts(ms, micro);
        const text = `${day} ${time}${printed ? `.${printed}` : ''}`;
        expect(parseTimestamp(text, false)).toBe(expected(day, time, micros, ''));
      }),
      { numRuns: 500 },
    );
  });

  it('moves a value printed with another offset to UTC', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9000, 0, 1) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offsetMinutes) => {
          const local = parts(ms + offsetMinutes * 60_000, 0);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60), 2)}:${pad(Math.abs(offsetMinutes) % 60, 2)}`;
          const utc = parts(ms, 0);
          const text = `${local.day} ${local.time}${local.printed ? `.${local.printed}` : ''}${offset}`;
          expect(parseTimestamp(text, true)).toBe(expected(utc.day, utc.time, utc.micros, 'Z'));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('returns values outside years 0001-9999 as PostgreSQL prints them', () => {
    for (const text of ['infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '12000-01-01 00:00:00+00']) {
      expect(parseTimestamp(text, true)).toBe(text);
    }
  });
});
