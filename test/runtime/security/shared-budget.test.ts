/**
 * Two `architect serve` processes pointed at one Redis hold one rate-limit budget: a client
 * that alternates between them gets the blueprint's per-IP allowance once, not once per process.
 * Needs the built CLI (`npm test` builds it) and a Redis server (`REDIS_URL`; CI sets it).
 */
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, type ServeProcess, spawnServe, waitReady } from '../serve-process/serve-process.js';

const REDIS_URL = process.env.REDIS_URL;
const BLUEPRINT = resolve(import.meta.dirname, 'fixtures/budget');
const PER_MINUTE = 6;

const skipReason = !REDIS_URL
  ? 'needs a Redis server: set REDIS_URL (CI does)'
  : !isBuilt()
    ? 'needs the built CLI: run npm run build (npm test does)'
    : undefined;

describe.skipIf(skipReason !== undefined)('two serve processes sharing Redis', () => {
  const processes: ServeProcess[] = [];
  let origins: string[] = [];

  beforeAll(async () => {
    // A fresh budget: forget counters an earlier run left in this minute.
    const redis = new Redis(REDIS_URL!);
    const keys = await redis.keys('architect:rl:shared_budget:*');
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    // Start well inside a minute so the whole test falls in one window.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((done) => setTimeout(done, 60_000 - intoMinute + 500));
    for (let index = 0; index < 2; index++) {
      processes.push(spawnServe([BLUEPRINT, '--memory'], { REDIS_URL }));
    }
    origins = await Promise.all(processes.map((process) => process.started));
    await Promise.all(origins.map((origin) => waitReady(origin)));
  }, 90_000);

  afterAll(() => {
    for (const process of processes) process.dispose();
  });

  it('answers the per-IP allowance once between them, then 429 from both', async () => {
    const statuses: number[] = [];
    let refused: { headers: Headers; body: { error: { code: string } } } | undefined;
    for (let request = 0; request < PER_MINUTE + 4; request++) {
      const response = await fetch(`${origins[request % 2]}/api/v1/notes`);
      statuses.push(response.status);
      const body = (await response.json()) as { error: { code: string } };
      if (response.status === 429) refused ??= { headers: response.headers, body };
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(PER_MINUTE);
    expect(statuses.slice(PER_MINUTE)).toEqual([429, 429, 429, 429]);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused!.headers.get('ratelimit-limit')).toBe(String(PER_MINUTE));
    expect(refused!.body.error.code).toBe('RATE_LIMITED');
  });
});

if (skipReason !== undefined) {
  describe('two serve processes sharing Redis (skipped)', () => {
    it.skip(`is skipped: ${skipReason}`, () => {});
  });
}
