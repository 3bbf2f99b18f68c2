/**
 * Abuse limits through the real app: password guessing is slowed per account and per IP and
 * audited; every API route draws on the per-IP and per-principal budgets, with 429,
 * `Retry-After` and `RateLimit-*` headers, also for requests whose credentials fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { accountFailureLimit } from '../../../src/runtime/security/rate-limits.js';
import {
  createIdentityHarness,
  DRIVERS,
  type IdentityHarness,
  PASSWORD,
  withAuth,
} from '../auth/identity-harness.js';

describe.each(DRIVERS)('brute force on login, %s', (kind) => {
  let h: IdentityHarness;
  beforeAll(async () => {
    h = await createIdentityHarness(kind, 'examples/saas');
    await h.account('ada@example.com');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('locks one address after repeated failures, answers 429 with Retry-After, and records every attempt', async () => {
    const allowed = accountFailureLimit(h.model);
    const failures = [];
    for (let attempt = 0; attempt < allowed; attempt++) {
      failures.push(
        await h.call('POST', '/auth/login', {
          body: { email: 'ada@example.com', password: `guess ${attempt}` },
        }),
      );
    }
    expect(failures.map((answer) => answer.status)).toEqual(Array(allowed).fill(401));
    const throttled = await h.call('POST', '/auth/login', {
      body: { email: 'ADA@example.com', password: 'guess' },
    });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('RATE_LIMITED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.headers['ratelimit-remaining']).toBe('0');
    // Even the right password waits: the guesser cannot tell when it found it.
    const right = await h.call('POST', '/auth/login', {
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(right.status).toBe(429);

    const failed = await h.events('login_failed');
    expect(failed).toHaveLength(allowed);
    for (const [index, event] of failed.entries()) {
      expect(event).toMatchObject({ email: 'ada@example.com', ip: '127.0.0.1' });
      expect(event.request_id).toBe(failures[index]!.headers['x-request-id']);
    }
    const slowed = await h.events('login_throttled');
    expect(slowed.map((event) => event.request_id)).toEqual([
      throttled.headers['x-request-id'],
      right.headers['x-request-id'],
    ]);
  });

  it('holds the stricter per-IP budget on sign-in routes whatever the address', async () => {
    const perMinute = h.model.auth.rateLimits.login.perMinute;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < perMinute + 2; attempt++) {
      const answer = await h.call('POST', '/auth/login', {
        body: { email: `someone${attempt}@example.com`, password: 'guess' },
      });
      statuses.push(answer.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(429);
    const refresh = await h.call('POST', '/auth/refresh', { body: { refreshToken: 'rt_x' } });
    expect(refresh.status).toBe(429);
  });

  it('keeps the contract on every answer', () => {
    expect(h.violations).toEqual([]);
  });
});

describe.each(DRIVERS)('API budgets per IP and per principal, %s', (kind) => {
  let model: Model;
  let h: IdentityHarness;
  beforeAll(async () => {
    const saas = await loadBlueprint('examples/saas');
    model = withAuth(saas, {
      rateLimits: { ip: { perMinute: 8 }, principal: { perMinute: 3 }, login: { perMinute: 100 } },
    });
    h = await createIdentityHarness(kind, model);
    await h.account('ada@example.com');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('spends the principal budget before the IP one, then the IP one for everybody', async () => {
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const bearer = login.body.accessToken as string;
    const remaining: (string | undefined)[] = [];
    for (let call = 0; call < 3; call++) {
      const me = await h.call('GET', '/auth/me', { bearer });
      expect(me.status).toBe(200);
      remaining.push(me.headers['ratelimit-remaining'] as string);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const spent = await h.call('GET', '/auth/me', { bearer });
    expect(spent.status).toBe(429);
    expect(spent.headers['retry-after']).toBeDefined();
    expect(spent.headers['ratelimit-limit']).toBe('3');

    // Anonymous callers (and forged credentials) still draw on the IP budget, until it is gone.
    const statuses: number[] = [];
    for (let call = 0; call < 4; call++) {
      statuses.push((await h.call('GET', '/auth/me', { bearer: 'forged.token.here' })).status);
    }
    expect(statuses).toContain(401);
    expect(statuses.at(-1)).toBe(429);
    const resource = await h.call('GET', '/organizations');
    expect(resource.status).toBe(429);
    expect(resource.body.error.code).toBe('RATE_LIMITED');
    // The operations endpoints are outside the budgets.
    expect((await h.app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('keeps the contract on every answer', () => {
    expect(h.violations).toEqual([]);
  });
});
