/** The sliding-window decision behind 429s and the RateLimit headers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, decide } from '../../../src/runtime/security/sliding-window.js';

const MINUTE = 60_000;

describe('decide', () => {
  it('with room: no Retry-After, and RateLimit-Reset says when the whole quota is back', () => {
    // 3 hits 15 s into a window: they weigh until the end of the next window, 105 s away.
    const decision = decide({ previous: 0, current: 3 }, 10, MINUTE, 15_000);
    expect(decision).toMatchObject({ allowed: true, remaining: 7, retryAfterSeconds: 0, resetSeconds: 105 });
    // Only last window's hits: they are gone when this window ends.
    expect(decide({ previous: 4, current: 0 }, 10, MINUTE, 20_000).resetSeconds).toBe(40);
  });

  it('Retry-After is when one more hit fits (at least 1 s once refused), never after the reset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: MINUTE - 1 }),
        (limit, previous, current, elapsed) => {
          const decision = decide({ previous, current }, limit, MINUTE, elapsed);
          expect(decision.resetSeconds).toBeGreaterThanOrEqual(decision.retryAfterSeconds);
          expect(decision.resetSeconds).toBeLessThanOrEqual(120);
          if (!decision.allowed) expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          if (decision.retryAfterSeconds === 0) {
            expect(previous * (1 - elapsed / MINUTE) + current).toBeLessThanOrEqual(limit - 1 + 1e-9);
            return;
          }
          // Waiting that long (and no longer than needed, to the second) lets one more in.
          const later = elapsed + decision.retryAfterSeconds * 1000;
          const counts =
            later < MINUTE
              ? { previous, current }
              : { previous: later < 2 * MINUTE ? current : 0, current: 0 };
          const estimate = counts.previous * (1 - (later % MINUTE) / MINUTE) + counts.current;
          expect(estimate).toBeLessThanOrEqual(limit - 1 + 1e-9);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the memory store', () => {
  it("keeps a long window's counts while short windows come and go", async () => {
    const store = createMemoryStore();
    const start = Date.UTC(2026, 0, 1);
    const QUARTER = 15 * MINUTE;
    await store.hit('account:ada', QUARTER, start);
    await store.hit('account:ada', QUARTER, start + 1);
    // Minute budgets passing by sweep the map: the quarter-hour entry is not theirs to drop.
    for (let minute = 1; minute <= 10; minute += 1)
      await store.hit(`ip:${minute}`, MINUTE, start + minute * MINUTE);
    expect(await store.peek('account:ada', QUARTER, start + 10 * MINUTE)).toEqual({
      current: 2,
      previous: 0,
    });
    // Two windows later it is gone, and so are the minute entries.
    await store.hit('ip:late', MINUTE, start + 2 * QUARTER + 1);
    expect(await store.peek('account:ada', QUARTER, start + 2 * QUARTER + 1)).toEqual({
      current: 0,
      previous: 0,
    });
    await store.close();
  });
});
