/**
 * The cost of auth and row rules: the SaaS example's `GET /projects/{id}` and `GET /projects`
 * (a page of 25) served twice in one process from one database,
 * - **secured**: a Bearer JWT verified on every request (jose, EdDSA, `verifyAccessToken`), the
 *   principal set from its claims, authorization on (access rule, field rules, tenant scope in
 *   the SQL), and on PostgreSQL the tenant wall (each request a transaction as `architect_app`
 *   with the tenant set);
 * - **open**: the same routes with `authorization: false` and no credentials;
 * - **rules** (a reference that splits the cost): authorization as in secured, the principal
 *   taken from plain headers without a signature, so the JWT's share shows;
 * - **login** (PostgreSQL only): secured with the tenant wall on its own login as
 *   `architect_app` (`APP_DATABASE_URL`), so each transaction only sets the tenant,
 * each behind a listening socket, driven by fetch with a fixed concurrency for a fixed time,
 * rounds interleaved so machine load hits both alike. Reports req/s, the secured/open ratio
 * and p50/p99 latency. Target: the secured side keeps >= 90% of the open side's throughput.
 * On PostgreSQL it also measures the floor of the wall's cost with postgres.js alone
 * (`wallFloor`): what one transaction per request costs a client that does nothing else.
 *
 * Usage: npm run bench:security [-- --seconds 1.5 --rounds 3 --concurrency 16]
 * With DATABASE_URL set, also on PostgreSQL (a throwaway database on that server).
 */
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import postgres from 'postgres';
import { loadBlueprint, type Model } from '../../src/blueprint/index.js';
import { APP_ROLE, TENANT_SETTING } from '../../src/design/sql/tenancy-policies.js';
import {
  signAccessToken,
  type TokenSettings,
  verifyAccessToken,
} from '../../src/runtime/auth/access-tokens.js';
import { loadSigningKeys, type SigningKeys } from '../../src/runtime/auth/keys.js';
import type { AuthPrincipal } from '../../src/runtime/auth/principal.js';
import { checkWallLogin } from '../../src/runtime/auth/wall-login.js';
import { createDriver, type Driver } from '../../src/runtime/db/index.js';
import { migrateDatabase } from '../../src/runtime/migrate/index.js';
import { createApp } from '../../src/runtime/server/index.js';
import { numberFlag } from '../support/flags.js';

const SECONDS = numberFlag('seconds', 1.5);
const ROUNDS = numberFlag('rounds', 3);
const CONCURRENCY = numberFlag('concurrency', 16);
const TOKENS: TokenSettings = { issuer: 'bench', audience: 'bench', ttlSeconds: 3600 };

/**
 * The principal from plain headers, no signature: isolates the cost of the rules themselves
 * (a reference only; never a way to authenticate).
 */
const headerPrincipal = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    const user = request.headers['x-bench-user'];
    if (typeof user !== 'string') return;
    const principal: AuthPrincipal = {
      id: user,
      userId: user,
      roles: ['owner'],
      method: 'jwt',
      tenantId: String(request.headers['x-bench-tenant']),
    };
    request.principal = principal;
  });
});

/** Bearer JWT -> `request.principal`, the work a real authentication plugin does per request. */
function bearerAuthentication(keys: SigningKeys) {
  return fp(async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) return;
      const claims = await verifyAccessToken(keys, TOKENS, header.slice(7));
      const principal: AuthPrincipal = {
        id: claims.sub,
        userId: claims.sub,
        roles: claims.roles,
        method: 'jwt',
        ...(claims.tid ? { tenantId: claims.tid } : {}),
      };
      request.principal = principal;
    });
  });
}

interface Target {
  readonly origin: string;
  readonly headers: Record<string, string>;
}

async function call(target: Target, path: string, method = 'GET', body?: unknown) {
  const response = await fetch(`${target.origin}/api/v1${path}`, {
    method,
    headers: { ...target.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Two tenants with 200 projects each; returns the token of A's owner and one of A's projects. */
async function seed(
  target: Target,
  keys: SigningKeys,
): Promise<{ token: string; projectId: string; userId: string; tenantId: string }> {
  const bearer = (token: string): Target => ({ ...target, headers: { authorization: `Bearer ${token}` } });
  const admin = await signAccessToken(keys, TOKENS, {
    sub: '00000000-0000-7000-8000-000000000001',
    roles: ['admin'],
  });
  let result: { token: string; projectId: string; userId: string; tenantId: string } | undefined;
  for (const slug of ['acme', 'bravo']) {
    const user = await call(bearer(admin), '/users', 'POST', {
      email: `${slug}@example.com`,
      displayName: slug,
    });
    const plain = await signAccessToken(keys, TOKENS, { sub: String(user.id), roles: [] });
    const organization = await call(bearer(plain), '/organizations', 'POST', { slug, name: slug });
    const token = await signAccessToken(keys, TOKENS, {
      sub: String(user.id),
      roles: ['owner'],
      tid: String(organization.id),
    });
    const items = Array.from({ length: 200 }, (_, index) => ({
      code: `P${index}`,
      name: `${slug} ${index}`,
    }));
    await call(bearer(token), '/projects/bulk', 'POST', { operation: 'create', items });
    const page = (await call(bearer(token), '/projects?limit=1')) as { data: { id: string }[] };
    result ??= {
      token,
      projectId: page.data[0]!.id,
      userId: String(user.id),
      tenantId: String(organization.id),
    };
  }
  return result!;
}

/** open: no auth, no rules; rules: authorization with a header principal; secured: JWT + rules. */
/** login (PostgreSQL): secured, with the tenant wall on its own login (`APP_DATABASE_URL`). */
type Side = 'open' | 'rules' | 'secured' | 'login';

interface Sample {
  requests: number;
  /** This process's CPU (server and client together), microseconds. */
  cpu: number;
  seconds: number;
  latencies: number[];
}

async function drive(target: Target, path: string, seconds: number, sample: Sample): Promise<void> {
  const url = `${target.origin}/api/v1${path}`;
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const start = performance.now();
      const response = await fetch(url, { headers: target.headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      sample.latencies.push(performance.now() - start);
      sample.requests += 1;
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  sample.cpu += used.user + used.system;
  sample.seconds += (performance.now() - start) / 1000;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * The floor under the tenant wall's cost, without this runtime: postgres.js alone reading one
 * project by id, as a bare prepared statement; as the one message the wall sends (SET LOCAL ROLE
 * and the tenant setting, then EXECUTE of a statement prepared on each connection); and inside
 * an explicit transaction (BEGIN with the settings, the statement, COMMIT, pipelined on one
 * reserved connection), the wall's way for values no literal carries. Same pool size and
 * concurrency as the HTTP rounds.
 */
async function wallFloor(databaseUrl: string, projectId: string, tenantId: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 10, prepare: true, onnotice: () => {} });
  const text = 'SELECT * FROM projects WHERE id = $1 AND organization_id = $2';
  const settings = `SET LOCAL ROLE ${APP_ROLE}; SET LOCAL ${TENANT_SETTING} = '${tenantId}'`;
  const setup = `BEGIN; ${settings}`;
  // Every connection of the pool prepares the statement once, as the wall's driver ends up doing.
  const connections = await Promise.all(Array.from({ length: 10 }, () => sql.reserve()));
  for (const connection of connections) await connection.unsafe(`PREPARE wall_floor AS ${text}`);
  for (const connection of connections) connection.release();
  const sides = {
    bare: () => sql.unsafe(text, [projectId, tenantId], { prepare: true }),
    message: async () => {
      const results = await sql.unsafe(`${settings}; EXECUTE wall_floor('${projectId}', '${tenantId}')`);
      return results.at(-1) as unknown as postgres.RowList<postgres.Row[]>;
    },
    walled: async () => {
      const connection = await sql.reserve();
      try {
        const [, rows] = await Promise.all([
          connection.unsafe(setup),
          connection.unsafe(text, [projectId, tenantId], { prepare: true }),
          connection.unsafe('COMMIT'),
        ]);
        return rows;
      } finally {
        connection.release();
      }
    },
  };
  const samples = { bare: [] as number[], message: [] as number[], walled: [] as number[] };
  const seconds = { bare: 0, message: 0, walled: 0 };
  const run = async (side: keyof typeof sides, duration: number, record: boolean) => {
    const until = performance.now() + duration * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const begun = performance.now();
          const rows = await sides[side]();
          if (rows.length !== 1) throw new Error(`${side}: ${rows.length} rows`);
          if (record) samples[side].push(performance.now() - begun);
        }
      }),
    );
    if (record) seconds[side] += (performance.now() - start) / 1000;
  };
  try {
    const SIDES = ['bare', 'message', 'walled'] as const;
    for (const side of SIDES) await run(side, 0.5, false);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const side of round % 2 === 0 ? SIDES : [...SIDES].reverse()) await run(side, SECONDS, true);
    }
  } finally {
    await sql.end();
  }
  console.log('\nFloor: postgres.js alone, one project by id (no HTTP, no runtime)');
  const rate = (side: keyof typeof sides) => samples[side].length / seconds[side];
  const titles = {
    bare: 'prepared SELECT',
    message: 'wall: settings; EXECUTE',
    walled: 'wall: BEGIN … COMMIT',
  };
  for (const side of ['bare', 'message', 'walled'] as const) {
    const sorted = [...samples[side]].sort((a, b) => a - b);
    const ratio = side === 'bare' ? '' : (rate(side) / rate('bare')).toFixed(3);
    console.log(
      `${titles[side].padEnd(31)}${rate(side).toFixed(0).padStart(9)}${percentile(sorted, 50).toFixed(2).padStart(9)}${percentile(sorted, 99).toFixed(2).padStart(9)}${ratio.padStart(8)}`,
    );
  }
}

async function benchOn(
  label: string,
  model: Model,
  driver: Driver,
  keys: SigningKeys,
  databaseUrl?: string,
): Promise<void> {
  await migrateDatabase(driver, model);
  const secured = await createApp(model, {
    driver,
    logLevel: false,
    docs: false,
    auth: [bearerAuthentication(keys)],
  });
  const open = await createApp(model, { driver, logLevel: false, docs: false, authorization: false });
  const scoped = await createApp(model, { driver, logLevel: false, docs: false, auth: [headerPrincipal] });
  // On the server, a fourth side: the wall on its own login as architect_app, no role switch.
  let wallDriver: Driver | undefined;
  if (databaseUrl) {
    await driver.exec(`ALTER ROLE ${APP_ROLE} LOGIN`);
    const login = new URL(databaseUrl);
    login.username = APP_ROLE;
    wallDriver = await createDriver({ databaseUrl: login.toString(), poolSize: 10 });
    await checkWallLogin(wallDriver);
  }
  const walled = wallDriver
    ? await createApp(model, {
        driver,
        wallDriver,
        logLevel: false,
        docs: false,
        auth: [bearerAuthentication(keys)],
      })
    : undefined;
  const SIDES: readonly Side[] = walled
    ? ['open', 'rules', 'secured', 'login']
    : ['open', 'rules', 'secured'];
  const securedOrigin = await secured.listen({ port: 0, host: '127.0.0.1' });
  const walledOrigin = await walled?.listen({ port: 0, host: '127.0.0.1' });
  const openOrigin = await open.listen({ port: 0, host: '127.0.0.1' });
  const scopedOrigin = await scoped.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { token, projectId, userId, tenantId } = await seed({ origin: securedOrigin, headers: {} }, keys);
    // Statistics for the seeded rows, as autovacuum would gather them: without them the planner
    // guesses a tenant holds two projects and sorts its whole page range, and whether autovacuum
    // got there first would decide the figures.
    await driver.exec('ANALYZE');
    const targets: Record<Side, Target> = {
      open: { origin: openOrigin, headers: {} },
      rules: { origin: scopedOrigin, headers: { 'x-bench-user': userId, 'x-bench-tenant': tenantId } },
      secured: { origin: securedOrigin, headers: { authorization: `Bearer ${token}` } },
      login: { origin: walledOrigin ?? securedOrigin, headers: { authorization: `Bearer ${token}` } },
    };
    const routes = {
      'GET /projects/{id}': `/projects/${projectId}`,
      'GET /projects (25)': '/projects?limit=25',
    };
    console.log(
      `\n${label}: ${ROUNDS} rounds x ${SECONDS}s per side and route, concurrency ${CONCURRENCY}, interleaved`,
    );
    console.log(
      `${'route'.padEnd(22)}${'side'.padEnd(9)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'ratio'.padStart(8)}${'cpu µs/req'.padStart(12)}${'cpu ratio'.padStart(11)}`,
    );
    for (const [name, path] of Object.entries(routes)) {
      const samples = Object.fromEntries(
        SIDES.map((side) => [side, { requests: 0, cpu: 0, seconds: 0, latencies: [] as number[] }]),
      ) as Record<Side, Sample>;
      // Warm every side (JIT, prepared statements, pool).
      for (const side of SIDES)
        await drive(targets[side], path, 0.5, { requests: 0, cpu: 0, seconds: 0, latencies: [] });
      for (let round = 0; round < ROUNDS; round += 1) {
        const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
        for (const side of order) await drive(targets[side], path, SECONDS, samples[side]);
      }
      const rate = (sample: Sample) => sample.requests / sample.seconds;
      for (const side of SIDES) {
        const sorted = [...samples[side].latencies].sort((a, b) => a - b);
        const ratio = side === 'open' ? '' : (rate(samples[side]) / rate(samples.open)).toFixed(3);
        const cpuPerRequest = (sample: Sample) => sample.cpu / sample.requests;
        const cpuRatio =
          side === 'open' ? '' : (cpuPerRequest(samples.open) / cpuPerRequest(samples[side])).toFixed(3);
        console.log(
          `${name.padEnd(22)}${side.padEnd(9)}${rate(samples[side]).toFixed(0).padStart(9)}${percentile(sorted, 50).toFixed(2).padStart(9)}${percentile(sorted, 99).toFixed(2).padStart(9)}${ratio.padStart(8)}${cpuPerRequest(samples[side]).toFixed(0).padStart(12)}${cpuRatio.padStart(11)}`,
        );
      }
    }
    if (databaseUrl) await wallFloor(databaseUrl, projectId, tenantId);
  } finally {
    await secured.close();
    await open.close();
    await scoped.close();
    await walled?.close();
    await wallDriver?.close();
  }
}

const model = await loadBlueprint('examples/saas');
const keys = await loadSigningKeys({ env: {} });
console.log(
  `Security cost benchmark (Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores)`,
);
console.log(
  "ratio = req/s over open req/s; cpu ratio = open CPU per request over this side's (this process: server and client; the PostgreSQL server's own CPU is not in it)",
);

const pglite = await createDriver({ memory: true });
try {
  await benchOn('PGlite (in memory; RLS off, predicates only)', model, pglite, keys);
} finally {
  await pglite.close();
}

const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  const name = `architect_bench_security_${Date.now().toString(36)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const server = await createDriver({ databaseUrl: url.toString(), poolSize: 10 });
  try {
    await benchOn(
      'PostgreSQL (RLS on: architect_app + tenant per transaction)',
      model,
      server,
      keys,
      url.toString(),
    );
  } finally {
    await server.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
} else {
  console.log('\nPostgreSQL: skipped (set DATABASE_URL to run it)');
}
