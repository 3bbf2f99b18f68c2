/** Generated request ids: UUID v7 carrying their time, unique, and sorted as they were made. */
import { describe, expect, it } from 'vitest';
import { createRequestId } from '../../../src/runtime/server/request-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createRequestId', () => {
  it('is a UUID v7 whose first 48 bits are the millisecond time', () => {
    const now = Date.UTC(2026, 10, 28, 22, 50, 0, 123);
    const id = createRequestId(now);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(now);
  });

  it('gives unique ids that sort in the order of their times', () => {
    const start = Date.now();
    const ids = Array.from({ length: 10_000 }, (_, index) => createRequestId(start + index));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
