/**
 * Sliding-window rate limiting (the sliding window counter: the current fixed window's count
 * plus the previous window's, weighted by how much of it still overlaps the last `windowMs`).
 * Two counters per key, so memory stays constant however many requests arrive; in Redis the
 * increment and the read are one Lua script, so every instance shares one budget atomically.
 */
import type { Redis } from 'ioredis';

export interface WindowCounts {
  /** Hits in the current fixed window, this one included. */
  readonly current: number;
  readonly previous: number;
}

export interface WindowStore {
  /** Count a hit for `key` in the window holding `now`; return both windows' counts. */
  hit(key: string, windowMs: number, now: number): Promise<WindowCounts>;
  /** The counts without adding a hit. */
  peek(key: string, windowMs: number, now: number): Promise<WindowCounts>;
  /** Forget a key (a successful login clears its failures). */
  reset(key: string, windowMs: number, now: number): Promise<void>;
  close(): Promise<void>;
}

export interface LimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until one more hit fits (`Retry-After`); 0 while one more fits now. */
  readonly retryAfterSeconds: number;
  /**
   * Seconds until the whole quota is back (`RateLimit-Reset`): the hits of this window still
   * weigh on the next one, so that is the end of the next window when this one has hits.
   */
  readonly resetSeconds: number;
}

/** Judge the counts against `limit` hits per `windowMs`, at `elapsed` ms into the current window. */
export function decide(
  counts: WindowCounts,
  limit: number,
  windowMs: number,
  elapsed: number,
): LimitDecision {
  const weight = 1 - elapsed / windowMs;
  const estimate = counts.previous * weight + counts.current;
  const allowed = estimate <= limit;
  const remaining = Math.max(0, Math.floor(limit - estimate));
  // When does the estimate drop to limit - 1, so that one more hit fits?
  const room = limit - 1;
  let wait: number;
  if (estimate <= room) wait = 0;
  else if (counts.current <= room && counts.previous > 0) {
    const inWindow = windowMs * (1 - (room - counts.current) / counts.previous) - elapsed;
    wait = inWindow <= windowMs - elapsed ? Math.max(0, inWindow) : windowMs - elapsed;
  } else {
    const intoNext = counts.current > 0 ? windowMs * (1 - room / counts.current) : 0;
    wait = windowMs - elapsed + Math.max(0, intoNext);
  }
  const restored = windowMs - elapsed + (counts.current > 0 ? windowMs : 0);
  const retryAfterSeconds = Math.max(allowed ? 0 : 1, Math.ceil(wait / 1000));
  return {
    allowed,
    limit,
    remaining,
    retryAfterSeconds,
    resetSeconds: Math.max(retryAfterSeconds, Math.ceil(restored / 1000)),
  };
}

/** One process: two counters per key in a Map, swept as windows pass. */
export function createMemoryStore(): WindowStore {
  const counters = new Map<string, { window: number; windowMs: number; current: number; previous: number }>();
  let lastSweep = 0;
  return {
    async hit(key, windowMs, now) {
      const window = Math.floor(now / windowMs);
      if (now - lastSweep > windowMs) {
        lastSweep = now;
        // Each entry against its own window length: keys of one-minute and one-day budgets
        // share the map, and a window number means nothing across lengths.
        for (const [name, entry] of counters) {
          if (entry.window < Math.floor(now / entry.windowMs) - 1) counters.delete(name);
        }
      }
      const entry = counters.get(key);
      if (!entry || entry.window < window - 1) {
        counters.set(key, { window, windowMs, current: 1, previous: 0 });
        return { current: 1, previous: 0 };
      }
      if (entry.window === window - 1) {
        entry.previous = entry.current;
        entry.current = 0;
        entry.window = window;
      }
      entry.current += 1;
      return { current: entry.current, previous: entry.previous };
    },
    async peek(key, windowMs, now) {
      const window = Math.floor(now / windowMs);
      const entry = counters.get(key);
      if (!entry || entry.window < window - 1) return { current: 0, previous: 0 };
      return entry.window === window
        ? { current: entry.current, previous: entry.previous }
        : { current: 0, previous: entry.current };
    },
    async reset(key) {
      counters.delete(key);
    },
    async close() {
      counters.clear();
    },
  };
}

const HIT_SCRIPT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
return { current, previous }`;

/** Shared by every instance pointing at the same Redis. */
export function createRedisStore(redis: Redis, prefix = 'architect:rl'): WindowStore {
  const keys = (key: string, windowMs: number, now: number) => {
    const window = Math.floor(now / windowMs);
    return [`${prefix}:${key}:${window}`, `${prefix}:${key}:${window - 1}`] as const;
  };
  return {
    async hit(key, windowMs, now) {
      const [current, previous] = keys(key, windowMs, now);
      const result = (await redis.eval(HIT_SCRIPT, 2, current, previous, String(windowMs * 2))) as [
        number,
        number,
      ];
      return { current: Number(result[0]), previous: Number(result[1]) };
    },
    async peek(key, windowMs, now) {
      const [current, previous] = keys(key, windowMs, now);
      const [a, b] = await redis.mget(current, previous);
      return { current: Number(a ?? 0), previous: Number(b ?? 0) };
    },
    async reset(key, windowMs, now) {
      const [current, previous] = keys(key, windowMs, now);
      await redis.del(current, previous);
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}
