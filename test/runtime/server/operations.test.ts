/**
 * The operational surface of the real app, with the resource routes, on both drivers: health
 * and readiness, Prometheus metrics for resource routes and the driver's own pool, request ids
 * in headers and in the JSON log lines, compression, security headers, the body limit and the
 * request deadline on requests that reach the database.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import type { Model } from '../../../src/blueprint/model.js';
import { migrateDatabase } from '../../../src/runtime/migrate/index.js';
import { createApp } from '../../../src/runtime/server/index.js';
import { NO_SERVER_REASON } from '../../support/postgres.js';
import { DRIVER_CASES, type OpenedDriver } from '../db/driver-cases.js';

let model: Model;
beforeAll(async () => {
  model = await loadBlueprint('examples/inventory');
});

for (const driverCase of DRIVER_CASES) {
  const title = driverCase.isAvailable
    ? driverCase.name
    : `${driverCase.name} (skipped: ${NO_SERVER_REASON})`;
  describe.skipIf(!driverCase.isAvailable)(`operations on ${title}`, () => {
    let opened: OpenedDriver;
    let app: FastifyInstance;
    const logLines: Record<string, unknown>[] = [];

    beforeAll(async () => {
      opened = await driverCase.open();
      await migrateDatabase(opened.driver, model);
      app = await createApp(model, {
        driver: opened.driver,
        logLevel: 'info',
        logStream: { write: (line: string) => logLines.push(JSON.parse(line)) },
        bodyLimit: 64 * 1024,
        requestTimeoutMs: 1500,
        authorization: false,
      });
    });
    afterAll(async () => {
      await app?.close();
      await opened?.dispose();
    });

    it('GET /health and GET /ready answer on this database', async () => {
      expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
      const ready = await app.inject({ url: '/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', schema: 'current' } });
    });

    it('echoes X-Request-Id on API responses and logs JSON lines carrying it', async () => {
      const response = await app.inject({
        url: '/api/v1/products?limit=1',
        headers: { 'x-request-id': 'ops-trace-0001' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-request-id']).toBe('ops-trace-0001');
      // One line per request at info, saying everything about it.
      const lines = logLines.filter((line) => line.requestId === 'ops-trace-0001');
      expect(lines.map((line) => line.msg)).toEqual(['request completed']);
      expect(lines[0]).toMatchObject({
        level: 30,
        method: 'GET',
        url: '/api/v1/products?limit=1',
        route: '/api/v1/products',
        remoteAddress: '127.0.0.1',
        statusCode: 200,
        responseTime: expect.any(Number),
      });
      const generated = await app.inject({ url: '/api/v1/suppliers' });
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('GET /metrics: resource routes by template and status, and this driver’s pool', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/suppliers',
        payload: { code: 'OPS', name: 'Ops' },
      });
      expect(created.statusCode).toBe(201);
      await app.inject({ url: `/api/v1/suppliers/${created.json().id}` });
      await app.inject({ url: '/api/v1/suppliers/0190b3a2-8f3e-7c4d-9a1b-123456789abc' });
      const text = (await app.inject({ url: '/metrics' })).body;
      expect(text).toContain(
        'architect_http_requests_total{method="POST",route="/api/v1/suppliers",status="201"} 1',
      );
      expect(text).toContain(
        'architect_http_requests_total{method="GET",route="/api/v1/suppliers/:id",status="200"} 1',
      );
      expect(text).toContain(
        'architect_http_requests_total{method="GET",route="/api/v1/suppliers/:id",status="404"} 1',
      );
      expect(text).toMatch(
        /architect_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/suppliers",status="201"\} 1/,
      );
      const total = driverCase.name === 'postgres' ? 4 : 1;
      expect(text).toContain(`architect_db_pool_connections{state="total"} ${total}`);
      expect(text).toMatch(/architect_db_pool_connections\{state="busy"\} \d/);
      expect(text).toMatch(/^architect_nodejs_eventloop_lag_seconds \d/m);
    });

    it('compresses large API responses and sends security headers on them', async () => {
      const items = Array.from({ length: 200 }, (_, index) => ({
        sku: `OPS-${index}`,
        name: `Item ${index}`,
      }));
      const bulk = await app.inject({
        method: 'POST',
        url: '/api/v1/products/bulk',
        payload: { operation: 'create', items },
      });
      expect(bulk.statusCode).toBe(200);
      const response = await app.inject({
        url: '/api/v1/products?limit=200',
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toBeDefined();
    });

    it('refuses a bulk body over the limit with 413 before touching the database', async () => {
      const items = Array.from({ length: 2000 }, (_, index) => ({
        sku: `BIG-${index}`,
        name: 'x'.repeat(40),
      }));
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/products/bulk',
        payload: { operation: 'create', items },
      });
      expect(response.statusCode).toBe(413);
      expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      const count = await opened.driver.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM products WHERE sku LIKE 'BIG-%'`,
      );
      expect(count.rows[0]!.n).toBe(0);
    });

    // A server only: PGlite has one connection, so no second request can wait behind a lock.
    if (driverCase.name !== 'pglite') {
      it('a request stuck behind a lock gets 503 TIMEOUT at its deadline', async () => {
        await opened.driver.transaction(async (tx) => {
          await tx.query('LOCK TABLE suppliers IN ACCESS EXCLUSIVE MODE');
          const response = await app.inject({ url: '/api/v1/suppliers' });
          expect(response.statusCode).toBe(503);
          expect(response.json().error).toMatchObject({ code: 'TIMEOUT' });
        });
      });
    }
  });
}
