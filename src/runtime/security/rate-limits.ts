/**
 * Abuse limits: a sliding-window budget per client IP and per signed-in caller on every API
 * route, and stricter ones for sign-in, refresh, sign-up and reset (per IP and, against password
 * guessing, per account: failures for one address lock it out for a growing time).
 * Counters live in memory for one instance, or in Redis (`REDIS_URL`) so that every instance
 * draws from one budget. A refusal is 429 `RATE_LIMITED` with `Retry-After`; every limited
 * response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Model } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import {
  createMemoryStore,
  createRedisStore,
  decide,
  type LimitDecision,
  type WindowStore,
} from './sliding-window.js';

const MINUTE = 60_000;
/** Failures for one account are counted over this window. */
export const ACCOUNT_WINDOW_MS = 15 * MINUTE;

export interface RateLimitOptions {
  /** Share counters through Redis (`redis://...`); default: in memory. */
  readonly redisUrl?: string;
  /** Key prefix in Redis (default `architect:rl`): one budget per prefix. */
  readonly redisPrefix?: string;
  /** A store built elsewhere (tests). */
  readonly store?: WindowStore;
  /** The clock, in ms (tests). */
  readonly now?: () => number;
}

export interface RateLimits {
  readonly store: WindowStore;
  /** The per-IP and per-principal budgets of one API request; throws 429 when spent. */
  limitRequest(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Sign-in style routes: the stricter per-IP budget, and the account's failure budget. */
  limitLogin(request: FastifyRequest, reply: FastifyReply, account?: string): Promise<void>;
  /** Count a failed sign-in against the account. */
  loginFailed(account: string): Promise<void>;
  /** A successful sign-in clears the account's failures. */
  loginSucceeded(account: string): Promise<void>;
  close(): Promise<void>;
}

function setHeaders(reply: FastifyReply, decision: LimitDecision): void {
  reply.header('ratelimit-limit', String(decision.limit));
  reply.header('ratelimit-remaining', String(decision.remaining));
  reply.header('ratelimit-reset', String(decision.resetSeconds));
}

function refuse(decision: LimitDecision): ArchitectError {
  return new ArchitectError(
    'RATE_LIMITED',
    { retryAfter: decision.retryAfterSeconds },
    {
      headers: {
        'retry-after': String(decision.retryAfterSeconds),
        'ratelimit-limit': String(decision.limit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(decision.resetSeconds),
      },
    },
  );
}

/** Failures one account may have in `ACCOUNT_WINDOW_MS` before it is locked out for a while. */
export function accountFailureLimit(model: Model): number {
  return Math.max(3, Math.floor(model.auth.rateLimits.login.perMinute / 2));
}

/**
 * The account's failure budgets: `accountFailureLimit` per 15 minutes, twice that per hour, four
 * times per day. A guesser who keeps going is locked out for longer each time (about 15 minutes,
 * then an hour, then a day) instead of getting a fresh budget every quarter hour.
 */
export function accountFailureTiers(model: Model): { readonly windowMs: number; readonly limit: number }[] {
  const limit = accountFailureLimit(model);
  return [
    { windowMs: ACCOUNT_WINDOW_MS, limit },
    { windowMs: 60 * MINUTE, limit: 2 * limit },
    { windowMs: 24 * 60 * MINUTE, limit: 4 * limit },
  ];
}

export function createRateLimits(model: Model, options: RateLimitOptions = {}): RateLimits {
  const store =
    options.store ??
    (options.redisUrl
      ? createRedisStore(
          new Redis(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true }),
          options.redisPrefix,
        )
      : createMemoryStore());
  const now = options.now ?? Date.now;
  const limits = model.auth.rateLimits;
  const tiers = accountFailureTiers(model);
  // The first tier keeps the key it always had, so counters survive an upgrade.
  const accountKey = (account: string, tier: { windowMs: number }) =>
    tier.windowMs === ACCOUNT_WINDOW_MS
      ? `account:${account}`
      : `account:${account}:${tier.windowMs / MINUTE}m`;

  const check = async (key: string, limit: number, windowMs: number): Promise<LimitDecision> => {
    const time = now();
    const counts = await store.hit(key, windowMs, time);
    return decide(counts, limit, windowMs, time % windowMs);
  };
  return {
    store,
    async limitRequest(request, reply) {
      // Both windows at once: with Redis that is two round trips in parallel, not in a row.
      const principal = request.principal;
      const [byIp, byPrincipal] = await Promise.all([
        check(`ip:${request.ip}`, limits.ip.perMinute, MINUTE),
        principal ? check(`principal:${principal.id}`, limits.principal.perMinute, MINUTE) : undefined,
      ]);
      let tightest = byIp;
      if (byPrincipal && (!byPrincipal.allowed || byPrincipal.remaining < tightest.remaining)) {
        tightest = byPrincipal;
      }
      if (!byIp.allowed) throw refuse(byIp);
      if (!tightest.allowed) throw refuse(tightest);
      setHeaders(reply, tightest);
    },
    async limitLogin(request, reply, account) {
      const byIp = await check(`login-ip:${request.ip}`, limits.login.perMinute, MINUTE);
      if (!byIp.allowed) throw refuse(byIp);
      setHeaders(reply, byIp);
      if (account) {
        // The account's failures so far, judged as if this attempt failed too, in every tier.
        const time = now();
        const decisions = await Promise.all(
          tiers.map(async (tier) => {
            const failures = await store.peek(accountKey(account, tier), tier.windowMs, time);
            return decide(
              { current: failures.current + 1, previous: failures.previous },
              tier.limit,
              tier.windowMs,
              time % tier.windowMs,
            );
          }),
        );
        const refused = decisions.filter((decision) => !decision.allowed);
        // The longest wait decides: the account is locked until every tier has room.
        if (refused.length > 0) {
          throw refuse(refused.reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a)));
        }
      }
    },
    async loginFailed(account) {
      const time = now();
      await Promise.all(tiers.map((tier) => store.hit(accountKey(account, tier), tier.windowMs, time)));
    },
    async loginSucceeded(account) {
      const time = now();
      await Promise.all(tiers.map((tier) => store.reset(accountKey(account, tier), tier.windowMs, time)));
    },
    close: () => store.close(),
  };
}
