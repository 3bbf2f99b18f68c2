/**
 * The app factory's cross-cutting behaviour through `app.inject()`: request ids, error
 * envelopes, limits, security headers, CORS, compression, the auth hook point, and the
 * operations endpoints. PGlite in memory; no socket.
 */

import { connect } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import type { Model } from '../../../src/blueprint/model.js';
import { emitOpenApi } from '../../../src/design/openapi/index.js';
import { ArchitectError } from '../../../src/errors.js';
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import { migrateDatabase } from '../../../src/runtime/migrate/index.js';
import { registerResourceRoutes } from '../../../src/runtime/resources/index.js';
import { type AppOptions, createApp } from '../../../src/runtime/server/index.js';
import { createContractChecker } from '../contract/contract-check.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let model: Model;
let driver: Driver;

/** Routes that fail in each way the error handler must cover. */
async function testRoutes(app: FastifyInstance): Promise<void> {
  await registerResourceRoutes(app, { model, driver: app.driver });
  app.post(
    '/test/body',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (request) => request.body,
  );
  app.get(
    '/test/query',
    { schema: { querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 10 } } } } },
    async (request) => request.query,
  );
  app.get('/test/crash', async () => {
    throw new Error('secret cause: password=hunter2');
  });
  app.get('/test/busy', async () => {
    throw new ArchitectError('SERVICE_UNAVAILABLE', { detail: 'busy' }, { headers: { 'retry-after': '7' } });
  });
  app.get('/test/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { late: true };
  });
  app.get<{ Querystring: { ms: string } }>('/test/wait', async (request) => {
    const ms = Number(request.query.ms);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { waited: ms };
  });
  app.get('/test/duplicate', async () => {
    await app.driver.query(`INSERT INTO suppliers (code, name) VALUES ('DUP', 'One') ON CONFLICT DO NOTHING`);
    await app.driver.query(`INSERT INTO suppliers (code, name) VALUES ('DUP', 'Two')`);
  });
  app.get('/test/big', async () => ({
    items: Array.from({ length: 500 }, (_, index) => ({ index, text: 'x'.repeat(20) })),
  }));
  app.get('/test/principal', async (request) => ({ principal: request.principal }));
}

async function build(overrides: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  // Authorization has its own suites (test/runtime/authz/); these test the other plugins.
  return createApp(model, {
    driver,
    logLevel: false,
    routes: testRoutes,
    authorization: false,
    ...overrides,
  });
}

beforeAll(async () => {
  model = await loadBlueprint('examples/inventory');
  driver = await createDriver({ memory: true });
  await migrateDatabase(driver, model);
});
afterAll(async () => {
  await driver?.close();
});

describe('request ids', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app.close());

  it('echoes a well-formed X-Request-Id', async () => {
    const response = await app.inject({ url: '/health', headers: { 'x-request-id': 'trace-42.a:b' } });
    expect(response.headers['x-request-id']).toBe('trace-42.a:b');
  });

  it('replaces a malformed one, and generates one when absent, as UUID v7', async () => {
    const malformed = await app.inject({
      url: '/health',
      headers: { 'x-request-id': 'bad id\twith spaces' },
    });
    expect(malformed.headers['x-request-id']).toMatch(UUID_V7);
    const absent = await app.inject({ url: '/health' });
    expect(absent.headers['x-request-id']).toMatch(UUID_V7);
    expect(absent.headers['x-request-id']).not.toBe(malformed.headers['x-request-id']);
  });

  it('puts the same id in the error envelope', async () => {
    const response = await app.inject({ url: '/nowhere', headers: { 'x-request-id': 'req-1' } });
    expect(response.json().error.requestId).toBe('req-1');
  });
});

/** The app listening on a loopback port, and a raw socket to it that keeps what it receives. */
async function rawClient(app: FastifyInstance) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const socket = connect(typeof address === 'object' && address ? address.port : 0, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk.toString();
  });
  const closed = new Promise((done) => socket.on('close', done));
  return { socket, received: () => text, closed };
}

describe('closing', () => {
  it('sheds a request read while it closes with the error envelope, Retry-After and Connection: close', async () => {
    const app = await build();
    // A client that pipelines: its second request arrives on the busy connection after the app
    // started closing. It is refused (not run, so a write is never done without its answer
    // reaching the client), and says so in the API's own words.
    const { socket, received, closed: ended } = await rawClient(app);
    socket.write('GET /test/wait?ms=400 HTTP/1.1\r\nHost: local\r\n\r\n');
    await new Promise((done) => setTimeout(done, 100));
    const closed = app.close();
    await new Promise((done) => setTimeout(done, 50));
    socket.write('GET /health HTTP/1.1\r\nHost: local\r\n\r\n');
    await ended;
    await closed;
    const [first, second] = received().split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toContain('{"waited":400}');
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/^retry-after: 1\r$/im);
    expect(second).toMatch(/^connection: close\r$/im);
    expect(second).toMatch(/^x-request-id: /im);
    const body = JSON.parse(second!.slice(second!.indexOf('\r\n\r\n') + 4));
    expect(body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'The server is shutting down' });
  });
});

describe('error envelopes', () => {
  let app: FastifyInstance;
  const logLines: string[] = [];
  beforeAll(async () => {
    app = await build({ logLevel: 'info', logStream: { write: (line) => logLines.push(line) } });
  });
  afterAll(() => app.close());

  it('unknown route: 404 NOT_FOUND envelope', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/api/v1/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'Route DELETE /api/v1/nothing-here not found',
        requestId: response.headers['x-request-id'],
      },
    });
  });

  it('a method the path is not served with: 405 METHOD_NOT_ALLOWED naming the methods in Allow', async () => {
    const cases: [method: string, url: string, allow: string][] = [
      ['PUT', '/api/v1/products?x=1', 'GET, HEAD, POST'],
      ['DELETE', '/api/v1/products/', 'GET, HEAD, POST'],
      ['PUT', '/api/v1/products/0195f0c2-8b1e-7000-8000-000000000001', 'GET, HEAD, PATCH, DELETE'],
      // the literal `bulk` is POST only, and the item route's GET, PATCH and DELETE take the path too
      ['PUT', '/api/v1/products/bulk', 'GET, HEAD, POST, PATCH, DELETE'],
      ['GET', '/api/v1/purchase-orders/0195f0c2-8b1e-7000-8000-000000000001/submit', 'POST'],
      ['HEAD', '/api/v1/purchase-orders/0195f0c2-8b1e-7000-8000-000000000001/submit', 'POST'],
      ['DELETE', '/api/v1/audit', 'GET, HEAD'],
      ['POST', '/health', 'GET, HEAD'],
      ['OPTIONS', '/test/body', 'POST'],
    ];
    for (const [method, url, allow] of cases) {
      const response = await app.inject({ method: method as 'GET', url });
      expect({ method, url, status: response.statusCode, allow: response.headers.allow }).toEqual({
        method,
        url,
        status: 405,
        allow,
      });
      if (method === 'HEAD') continue;
      expect(response.json()).toEqual({
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: `${method} is not allowed on ${url.split('?')[0]}`,
          requestId: response.headers['x-request-id'],
        },
      });
    }
    // A path no method serves stays 404, whatever the method.
    for (const method of ['GET', 'PUT', 'OPTIONS'] as const) {
      const response = await app.inject({
        method,
        url: '/api/v1/products/0195f0c2-8b1e-7000-8000-000000000001/nothing',
      });
      expect(response.statusCode).toBe(404);
      expect(response.headers.allow).toBeUndefined();
    }
  });

  it('invalid body: 422 VALIDATION_FAILED with one detail per field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/body',
      payload: { qty: 0, extra: true },
    });
    expect(response.statusCode).toBe(422);
    const { error } = response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { field: 'name', code: 'required', message: 'is required' },
        { field: 'extra', code: 'additionalProperties', message: 'is not a property that can be set here' },
        { field: 'qty', code: 'minimum', message: 'must be >= 1' },
      ]),
    );
  });

  it('invalid query parameter: 400 MALFORMED_REQUEST naming it', async () => {
    const response = await app.inject({ url: '/test/query?limit=99' });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.message).toBe('Invalid query parameter limit: must be <= 10');
    expect(error.details).toEqual([{ field: 'limit', code: 'maximum', message: 'must be <= 10' }]);
  });

  it('bad JSON, empty JSON, over-deep JSON: 400 MALFORMED_REQUEST', async () => {
    const headers = { 'content-type': 'application/json' };
    const bad = await app.inject({ method: 'POST', url: '/test/body', headers, payload: '{"name": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'MALFORMED_REQUEST',
      message: 'The body is not valid JSON',
    });
    const empty = await app.inject({ method: 'POST', url: '/test/body', headers, payload: '' });
    expect(empty.json().error.code).toBe('MALFORMED_REQUEST');
    const deep = await app.inject({
      method: 'POST',
      url: '/test/body',
      headers,
      payload: `${'['.repeat(40)}${']'.repeat(40)}`,
    });
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error.message).toBe('The JSON body is nested deeper than 32 levels');
  });

  it('accepts application/merge-patch+json bodies', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/body',
      headers: { 'content-type': 'application/merge-patch+json' },
      payload: '{"name":"x"}',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'x' });
  });

  it('unsupported content type: 415, text/plain included (a form can send it without a preflight)', async () => {
    for (const [type, payload] of [
      ['application/xml', '<name/>'],
      ['text/plain', '{"name":"x"}'],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/test/body',
        headers: { 'content-type': type },
        payload,
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `Unsupported content type ${type}`,
      });
    }
  });

  it('unknown failure: 500 INTERNAL, cause logged with the request id, never sent', async () => {
    const response = await app.inject({ url: '/test/crash', headers: { 'x-request-id': 'crash-1' } });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { code: 'INTERNAL', message: 'Internal error', requestId: 'crash-1' },
    });
    expect(response.body).not.toContain('hunter2');
    const logged = logLines.map((line) => JSON.parse(line)).find((line) => line.msg === 'request failed');
    expect(logged).toMatchObject({ requestId: 'crash-1', code: 'INTERNAL', level: 50 });
    expect(logged.err.message).toContain('secret cause');
  });

  it('catalog errors keep their status and headers', async () => {
    const response = await app.inject({ url: '/test/busy' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'busy' });
  });

  it('database errors thrown by a route are translated', async () => {
    const response = await app.inject({ url: '/test/duplicate' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'UNIQUE_VIOLATION',
      message: 'A supplier with this code already exists',
      details: [{ field: 'code', code: 'unique', message: 'is already taken' }],
    });
  });
});

describe('limits', () => {
  it('a body over the limit: 413 PAYLOAD_TOO_LARGE envelope', async () => {
    const app = await build({ bodyLimit: 1024 });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/test/body',
        payload: { name: 'x'.repeat(2000) },
      });
      expect(response.statusCode).toBe(413);
      expect(response.json().error).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than the 1 KiB this server accepts',
      });
    } finally {
      await app.close();
    }
  });

  it('a request past its deadline: 503 TIMEOUT envelope', async () => {
    const app = await build({ requestTimeoutMs: 50 });
    try {
      const response = await app.inject({ url: '/test/slow' });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({
        code: 'TIMEOUT',
        message: 'The request took longer than 50 ms',
      });
      // A 503 says when to come back, as the database's 503s do.
      expect(response.headers['retry-after']).toBe('1');
      expect(response.headers.connection).toBe('close');
      const quick = await app.inject({ url: '/health' });
      expect(quick.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a body that trickles past the deadline: 503, then the connection closes', async () => {
    const app = await build({ requestTimeoutMs: 200 });
    try {
      const { socket, received, closed } = await rawClient(app);
      // Promises 100 bytes of body and sends 7 of them, then nothing.
      socket.write(
        'POST /test/body HTTP/1.1\r\nHost: local\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name"',
      );
      const outcome = await Promise.race([
        closed.then(() => 'closed'),
        new Promise((done) => setTimeout(() => done('still open'), 3000)),
      ]);
      socket.destroy();
      expect(received()).toMatch(/^HTTP\/1\.1 503 /);
      expect(received()).toContain('"code":"TIMEOUT"');
      expect(outcome).toBe('closed');
    } finally {
      await app.close();
    }
  });

  it('deadlines of many requests in flight: each answered once, the late ones with 503, in any finishing order', async () => {
    const app = await build({ requestTimeoutMs: 150 });
    try {
      const wait = (ms: number) => app.inject({ url: `/test/wait?ms=${ms}` });
      // Oldest and newest stuck, the ones between finishing first and out of order.
      const first = await Promise.all([wait(600), wait(40), wait(5), wait(600), wait(20)]);
      expect(first.map((response) => response.statusCode)).toEqual([503, 200, 200, 503, 200]);
      expect(first[1]!.json()).toEqual({ waited: 40 });
      // The timer re-arms for requests that arrive after it fired.
      const second = await Promise.all([wait(600), wait(10)]);
      expect(second.map((response) => response.statusCode)).toEqual([503, 200]);
      expect(second[0]!.json().error.code).toBe('TIMEOUT');
    } finally {
      await app.close();
    }
  });
});

describe('HTTP hygiene', () => {
  it('sets API-appropriate security headers', async () => {
    const app = await build();
    try {
      const response = await app.inject({ url: '/health' });
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
      );
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-site');
      expect(response.headers['x-powered-by']).toBeUndefined();
      // Nothing is cached: not a row, not an error; what may be cached says so.
      expect(response.headers['cache-control']).toBe('no-store');
      expect((await app.inject({ url: '/api/v1/products' })).headers['cache-control']).toBe('no-store');
      expect((await app.inject({ url: '/api/v1/nothing-here' })).headers['cache-control']).toBe('no-store');
      expect((await app.inject({ url: '/openapi.json' })).headers['cache-control']).toBe('no-cache');
      // Headers that only act on HTML documents stay off JSON answers...
      expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
      expect(response.headers['x-xss-protection']).toBeUndefined();
      // ...and on the docs page, a document, they are all there.
      const page = await app.inject({ url: '/docs' });
      expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(page.headers['origin-agent-cluster']).toBe('?1');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await app.close();
    }
  });

  it('answers CORS only for allowed origins, and not at all unless configured', async () => {
    const preflight = {
      method: 'OPTIONS' as const,
      url: '/api/v1/products',
      headers: { 'access-control-request-method': 'POST' },
    };
    const app = await build({ corsOrigins: ['https://app.example.com'] });
    try {
      const allowed = await app.inject({
        ...preflight,
        headers: { ...preflight.headers, origin: 'https://app.example.com' },
      });
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(allowed.headers['access-control-allow-headers']).toContain('Idempotency-Key');
      // Cookies cross origins only when asked for (`corsCredentials`; see cross-origin.test.ts).
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
      const other = await app.inject({
        ...preflight,
        headers: { ...preflight.headers, origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const simple = await app.inject({ url: '/health', headers: { origin: 'https://app.example.com' } });
      expect(simple.headers['access-control-allow-origin']).toBe('https://app.example.com');
      // A page may read what it needs: the version, where a create went, a replayed POST.
      for (const header of ['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After']) {
        expect(simple.headers['access-control-expose-headers']).toContain(header);
      }
      // The preflight route takes OPTIONS on every path; it does not make other paths exist.
      const refused = await app.inject({ method: 'PUT', url: '/api/v1/products' });
      expect([refused.statusCode, refused.headers.allow]).toEqual([405, 'GET, HEAD, POST']);
      expect((await app.inject({ method: 'PUT', url: '/api/v1/nothing-here' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
    const closed = await build();
    try {
      const response = await closed.inject({
        url: '/health',
        headers: { origin: 'https://app.example.com' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.close();
    }
  });

  it('compresses large responses for clients that accept it', async () => {
    const app = await build();
    try {
      const response = await app.inject({ url: '/test/big', headers: { 'accept-encoding': 'gzip' } });
      expect(response.headers['content-encoding']).toBe('gzip');
      const plain = await app.inject({ url: '/test/big' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.json().items).toHaveLength(500);
    } finally {
      await app.close();
    }
  });
});

describe('authentication hook point', () => {
  it('principal is null until an auth plugin sets it; auth plugins run before every route', async () => {
    const anonymous = await build();
    try {
      expect((await anonymous.inject({ url: '/test/principal' })).json()).toEqual({ principal: null });
    } finally {
      await anonymous.close();
    }
    const auth: FastifyPluginAsync = fp(async (app) => {
      app.addHook('onRequest', async (request) => {
        const key = request.headers.authorization;
        if (key === 'Bearer reject') throw new ArchitectError('UNAUTHENTICATED');
        if (key) request.principal = { id: 'user-1', roles: ['admin'] };
      });
    });
    const app = await build({ auth: [auth] });
    try {
      const signedIn = await app.inject({ url: '/test/principal', headers: { authorization: 'Bearer ok' } });
      expect(signedIn.json()).toEqual({ principal: { id: 'user-1', roles: ['admin'] } });
      const rejected = await app.inject({
        url: '/api/v1/products',
        headers: { authorization: 'Bearer reject' },
      });
      expect(rejected.statusCode).toBe(401);
      expect(rejected.json().error.code).toBe('UNAUTHENTICATED');
    } finally {
      await app.close();
    }
  });
});

describe('operations endpoints', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app.close());

  it('GET /health: alive', async () => {
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /metrics with a token: only for scrapes that bring it', async () => {
    const guarded = await build({ metricsToken: 'scrape-0123456789abcdef' });
    try {
      for (const authorization of [undefined, 'Bearer wrong', 'scrape-0123456789abcdef']) {
        const refused = await guarded.inject({
          url: '/metrics',
          headers: authorization ? { authorization } : {},
        });
        expect(refused.statusCode, String(authorization)).toBe(401);
        expect(refused.headers['www-authenticate']).toBe('Bearer realm="metrics"');
        expect(refused.json().error.code).toBe('UNAUTHENTICATED');
        expect(refused.body).not.toContain('architect_http_requests_total');
      }
      const scraped = await guarded.inject({
        url: '/metrics',
        headers: { authorization: 'Bearer scrape-0123456789abcdef' },
      });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.body).toContain('architect_http_requests_total');
      // The other operations endpoints stay open for load balancers and orchestrators.
      expect((await guarded.inject({ url: '/health' })).statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('GET /ready: 200 when the database holds the current schema', async () => {
    const response = await app.inject({ url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { database: 'ok', schema: 'current' } });
  });

  it('GET /ready: 503 before the schema is applied, and when the database is gone', async () => {
    const fresh = await createDriver({ memory: true });
    const notMigrated = await createApp(model, { driver: fresh, logLevel: false, routes: async () => {} });
    try {
      const outdated = await notMigrated.inject({ url: '/ready' });
      expect(outdated.statusCode).toBe(503);
      expect(outdated.json().error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        details: { database: 'ok', schema: 'outdated' },
      });
      await fresh.close();
      const gone = await notMigrated.inject({ url: '/ready' });
      expect(gone.statusCode).toBe(503);
      expect(gone.json().error.details).toEqual({ database: 'unreachable', schema: 'unknown' });
      // Each answer keeps the document's contract for its status.
      const contract = createContractChecker(model);
      for (const [response, url] of [
        [outdated, '/ready'],
        [gone, '/ready'],
        [await app.inject({ url: '/ready' }), '/ready'],
        [await app.inject({ url: '/health' }), '/health'],
      ] as const) {
        const body = response.json();
        expect(
          contract.check('GET', url, response.statusCode, body, response.headers['content-type'] as string),
          `${url} ${response.statusCode}`,
        ).toBeUndefined();
      }
    } finally {
      await notMigrated.close();
    }
  });

  it('GET /metrics: requests by route template and status, latency, pool, event loop, process', async () => {
    await app.inject({ url: '/api/v1/products' });
    await app.inject({ url: '/api/v1/products/0190b3a2-8f3e-7c4d-9a1b-123456789abc' });
    await app.inject({ url: '/definitely/unknown' });
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toContain(
      'architect_http_requests_total{method="GET",route="/api/v1/products",status="200"} 1',
    );
    expect(text).toContain(
      'architect_http_requests_total{method="GET",route="/api/v1/products/:id",status="404"} 1',
    );
    expect(text).toContain('architect_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(
      /architect_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/v1\/products",status="200"\} 1/,
    );
    expect(text).toContain('architect_db_pool_connections{state="total"} 1');
    expect(text).toContain('architect_db_pool_connections{state="waiting"} 0');
    expect(text).toMatch(/^architect_nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^architect_process_resident_memory_bytes /m);
  });

  it('GET /openapi.json: the design output, whose server is this one', async () => {
    const response = await app.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const { servers, ...served } = response.json();
    const { servers: designed, ...design } = JSON.parse(JSON.stringify(emitOpenApi(model)));
    expect(served).toEqual(design);
    expect(designed).toEqual([{ url: 'http://localhost:3000', description: expect.any(String) }]);
    // Relative: "Try it out" on /docs calls whatever host, port or proxy served the document.
    expect(servers).toEqual([{ url: '/', description: 'this server' }]);
    expect(response.json().openapi).toMatch(/^3\.1\./);
  });

  it('GET /docs: a page whose every asset is served locally', async () => {
    const page = await app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>Inventory &#38; Purchase Orders API reference</title>');
    const references = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThanOrEqual(4);
    for (const reference of references) {
      expect(reference, 'no CDN: every asset comes from this server').toMatch(/^\/docs\//);
      const asset = await app.inject({ url: reference });
      expect(asset.statusCode, reference).toBe(200);
      // Swagger UI's files may be kept (the package version pins them); the page is the API's.
      expect(asset.headers['cache-control'], reference).toBe(
        reference.startsWith('/docs/assets/') ? 'public, max-age=86400' : 'no-store',
      );
      expect(asset.rawPayload.length, reference).toBeGreaterThan(100);
    }
    const init = await app.inject({ url: '/docs/init.js' });
    expect(init.body).toContain("url: '/openapi.json'");
    expect(init.body).toContain('validatorUrl: null');
    // The page may load only from this origin.
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toMatch(/https?:/);
    expect((await app.inject({ url: '/docs/assets/../../package.json' })).statusCode).toBe(404);
  });
});
