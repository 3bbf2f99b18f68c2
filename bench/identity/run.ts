/**
 * The cost of the identity layer on a request: `GET /api/v1/notes/{id}` (open access, no row
 * rules, so only identity differs) served four ways from one process and one database,
 * - **open**: no identity plugin, no credentials (the reference);
 * - **jwt**: a bare hook that verifies the Bearer JWT (jose, EdDSA) and sets the principal: the
 *   least any JWT authentication does;
 * - **identity**: the real identity plugin of `architect serve` (cookie parsing, Bearer JWT, the
 *   per-IP and per-principal sliding windows in memory, RateLimit headers);
 * - **identity+redis**: the same with the counters in Redis (`REDIS_URL`; skipped without it),
 *   as several instances run it;
 * each behind a listening socket, driven by fetch at a fixed concurrency for a fixed time, rounds
 * interleaved so machine load hits all alike. Reports req/s, the ratio to open, p50/p99.
 *
 * Usage: npm run bench:identity [-- --seconds 1.5 --rounds 3 --concurrency 16]
 */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { loadBlueprint, type Model } from '../../src/blueprint/index.js';
import { signAccessToken, verifyAccessToken } from '../../src/runtime/auth/access-tokens.js';
import { tokenSettings } from '../../src/runtime/auth/identity-context.js';
import { createIdentity } from '../../src/runtime/auth/identity-plugin.js';
import { loadSigningKeys } from '../../src/runtime/auth/keys.js';
import { createDriver } from '../../src/runtime/db/index.js';
import { migrateDatabase } from '../../src/runtime/migrate/index.js';
import { createRateLimits } from '../../src/runtime/security/rate-limits.js';
import { createApp } from '../../src/runtime/server/index.js';
import { numberFlag } from '../support/flags.js';

const SECONDS = numberFlag('seconds', 1.5);
const ROUNDS = numberFlag('rounds', 3);
const CONCURRENCY = numberFlag('concurrency', 16);
const REDIS_URL = process.env.REDIS_URL;

const loaded = await loadBlueprint(
  resolve(import.meta.dirname, '../../test/runtime/serve-process/fixtures/notes'),
);
// Budgets no benchmark reaches: the windows are counted, never refused.
const model: Model = {
  ...loaded,
  auth: {
    ...loaded.auth,
    rateLimits: { ip: { perMinute: 1e9 }, principal: { perMinute: 1e9 }, login: { perMinute: 1e9 } },
  },
};
const driver = await createDriver({ memory: true });
await migrateDatabase(driver, model);
const keys = await loadSigningKeys({ env: {} });
const tokens = tokenSettings(model);
const token = await signAccessToken(keys, tokens, { sub: '01900000-0000-7000-8000-000000000001', roles: [] });

const bareJwt = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return;
    const claims = await verifyAccessToken(keys, tokens, header.slice(7));
    request.principal = { id: claims.sub, roles: claims.roles };
  });
});

type Side = 'open' | 'jwt' | 'identity' | 'identity+redis';
const apps: Partial<Record<Side, FastifyInstance>> = {};
const base = { driver, logLevel: false as const, docs: false, authorization: false };
apps.open = await createApp(model, base);
apps.jwt = await createApp(model, { ...base, auth: [bareJwt] });
const memoryIdentity = await createIdentity(model, { driver, keys });
apps.identity = await createApp(model, { ...base, auth: [memoryIdentity.plugin] });
let redis: Redis | undefined;
if (REDIS_URL) {
  const prefix = `architect:bench:${Date.now().toString(36)}`;
  const redisIdentity = await createIdentity(model, {
    driver,
    keys,
    limits: createRateLimits(model, { redisUrl: REDIS_URL, redisPrefix: prefix }),
  });
  apps['identity+redis'] = await createApp(model, { ...base, auth: [redisIdentity.plugin] });
  redis = new Redis(REDIS_URL);
}
const sides = Object.keys(apps) as Side[];
const origins = {} as Record<Side, string>;
for (const side of sides) origins[side] = await apps[side]!.listen({ port: 0, host: '127.0.0.1' });

const created = await fetch(`${origins.open}/api/v1/notes`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'bench' }),
});
const note = (await created.json()) as { id: string };
const path = `/api/v1/notes/${note.id}`;

interface Sample {
  requests: number;
  seconds: number;
  latencies: number[];
}

async function drive(side: Side, seconds: number, sample: Sample): Promise<void> {
  const url = `${origins[side]}${path}`;
  const headers: Record<string, string> = side === 'open' ? {} : { authorization: `Bearer ${token}` };
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const start = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${side}: ${response.status}`);
      sample.latencies.push(performance.now() - start);
      sample.requests += 1;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  sample.seconds += (performance.now() - start) / 1000;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

try {
  console.log(
    `Identity cost benchmark (Node ${process.version}): GET ${path.replace(note.id, '{id}')}, PGlite in memory, ${ROUNDS} rounds x ${SECONDS}s per side, concurrency ${CONCURRENCY}, interleaved`,
  );
  if (!REDIS_URL) console.log('identity+redis: skipped (set REDIS_URL to run it)');
  const samples = Object.fromEntries(
    sides.map((side) => [side, { requests: 0, seconds: 0, latencies: [] as number[] }]),
  ) as Record<Side, Sample>;
  for (const side of sides) await drive(side, 0.5, { requests: 0, seconds: 0, latencies: [] });
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) await drive(side, SECONDS, samples[side]);
  }
  const rate = (sample: Sample) => sample.requests / sample.seconds;
  console.log(
    `${'side'.padEnd(16)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'vs open'.padStart(9)}`,
  );
  for (const side of sides) {
    const sorted = [...samples[side].latencies].sort((a, b) => a - b);
    console.log(
      `${side.padEnd(16)}${rate(samples[side]).toFixed(0).padStart(9)}${percentile(sorted, 50).toFixed(2).padStart(9)}${percentile(sorted, 99).toFixed(2).padStart(9)}${(rate(samples[side]) / rate(samples.open)).toFixed(3).padStart(9)}`,
    );
  }
} finally {
  for (const side of sides) await apps[side]!.close();
  if (redis) {
    const stale = await redis.keys('architect:bench:*');
    if (stale.length > 0) await redis.del(...stale);
    await redis.quit();
  }
  await driver.close();
}
