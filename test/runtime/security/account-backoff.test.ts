/**
 * Password guessing against one account meets a backoff that grows: after the first budget the
 * account waits up to half an hour, after the next up to two hours, never a fresh budget every
 * quarter hour. Driven on a fake clock through the rate-limit layer the login route uses.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { ArchitectError } from '../../../src/errors.js';
import { accountFailureLimit, createRateLimits } from '../../../src/runtime/security/rate-limits.js';

const MINUTE = 60_000;

let model: Model;
beforeAll(async () => {
  model = await loadBlueprint('examples/saas');
});

describe('per-account login backoff', () => {
  it('locks the account longer each time the guessing goes on, and a success clears every tier', async () => {
    let time = Date.UTC(2026, 0, 1);
    const limits = createRateLimits(model, { now: () => time });
    const reply = { header: () => reply } as unknown as FastifyReply;
    // A different address each attempt: only the account's budget is in play.
    let address = 0;
    const attempt = async (): Promise<number | 'allowed'> => {
      address += 1;
      const request = { ip: `192.0.2.${address % 250}` } as FastifyRequest;
      try {
        await limits.limitLogin(request, reply, 'ada@example.com');
        return 'allowed';
      } catch (error) {
        expect(error).toBeInstanceOf(ArchitectError);
        const refused = error as ArchitectError;
        expect(refused.code).toBe('RATE_LIMITED');
        return Number(refused.headers?.['retry-after']);
      }
    };
    const fail = async (times: number) => {
      for (let index = 0; index < times; index += 1) {
        expect(await attempt()).toBe('allowed');
        await limits.loginFailed('ada@example.com');
      }
    };
    const budget = accountFailureLimit(model);
    try {
      await fail(budget);
      const first = await attempt();
      expect(first).toBeGreaterThan(0);
      // The sliding window: this quarter hour's failures weigh on the next one too.
      expect(first).toBeLessThanOrEqual(30 * 60);

      // The first lockout over, the same budget again...
      time += 30 * MINUTE;
      await fail(budget);
      // ...and now the hourly budget is spent too: a longer wait.
      const second = await attempt();
      expect(second).toBeGreaterThan(first as number);
      expect(second).toBeGreaterThan(30 * 60);
      expect(second).toBeLessThanOrEqual(2 * 60 * 60);

      // The right password (after the wait) clears every tier: a later typo starts from zero.
      time += (second as number) * 1000;
      expect(await attempt()).toBe('allowed');
      await limits.loginSucceeded('ada@example.com');
      await fail(budget);
    } finally {
      await limits.close();
    }
  });
});
