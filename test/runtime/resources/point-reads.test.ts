/**
 * Item reads that arrive together (in one turn of the event loop, or while every connection is
 * busy) leave for the database as one statement (resources/point-reads.ts), and each request
 * still gets its own answer: its row, its 404, its 304, its sparse fields. On PGlite (one
 * connection) and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/runtime/db/index.js';
import { createEntityPlan } from '../../../src/runtime/query/entity-plan.js';
import { PointReads } from '../../../src/runtime/resources/point-reads.js';
import { createHarness, DRIVERS, type Harness, type Reply } from './harness.js';

/** Counts the item reads of products the app sends: single-key statements and batched ones. */
function countProductReads(driver: Driver): { single: number; batched: number; keys: number } {
  const counts = { single: 0, batched: 0, keys: 0 };
  const query = driver.query.bind(driver);
  (driver as { query: Driver['query'] }).query = (text, params) => {
    if (/^SELECT .* FROM "?products"? t WHERE t\.id = /.test(text)) {
      if (text.includes('= ANY(')) {
        counts.batched += 1;
        counts.keys += (params![0] as unknown[]).length;
      } else counts.single += 1;
    }
    return query(text, params);
  };
  return counts;
}

describe.each(DRIVERS)('item reads under pressure on %s', (kind) => {
  let api: Harness;
  let ids: string[];
  let deletedId: string;

  beforeAll(async () => {
    api = await createHarness(kind);
    const items = Array.from({ length: 12 }, (_, index) => ({ sku: `PR-${index}`, name: `Read ${index}` }));
    const created = await api.call('POST', '/products/bulk', { body: { operation: 'create', items } });
    expect(created.status).toBe(200);
    ids = created.body.results.map((result: { id: string }) => result.id);
    deletedId = ids.pop()!;
    expect((await api.call('DELETE', `/products/${deletedId}`)).status).toBe(204);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers every request with its own row, 404, 304 or fields when reads leave together', async () => {
    const counts = countProductReads(api.driver);
    const missing = '0190a3c4-0000-7000-8000-000000000000';
    const requests: { url: string; headers?: Record<string, string>; expect: (reply: Reply) => void }[] = [];
    for (const [index, id] of ids.entries()) {
      const whole = (reply: Reply) => {
        expect(reply.status).toBe(200);
        expect(reply.body).toMatchObject({ id, sku: `PR-${index}`, name: `Read ${index}`, version: 1 });
        expect(reply.headers.etag).toBe('"1"');
      };
      requests.push({ url: `/products/${id}`, expect: whole });
      // the same row again, trimmed: the whole answer above must not lose its fields
      requests.push({
        url: `/products/${id}?fields=sku`,
        expect: (reply) => expect(reply.body).toEqual({ id, sku: `PR-${index}` }),
      });
      requests.push({ url: `/products/${id.toUpperCase()}`, expect: whole });
      requests.push({
        url: `/products/${id}`,
        headers: { 'if-none-match': '"1"' },
        expect: (reply) => expect(reply.status).toBe(304),
      });
    }
    for (const id of [missing, deletedId]) {
      requests.push({
        url: `/products/${id}`,
        expect: (reply) => {
          expect(reply.status).toBe(404);
          expect(reply.body.error.code).toBe('NOT_FOUND');
        },
      });
    }
    // Three waves, so some reads find every connection busy whatever the timing of the first.
    for (let wave = 0; wave < 3; wave += 1) {
      const replies = await Promise.all(
        requests.map((request) => api.call('GET', request.url, { headers: request.headers })),
      );
      for (const [index, reply] of replies.entries()) requests[index]!.expect(reply);
    }
    expect(counts.batched).toBeGreaterThan(0);
    // Fewer statements than requests: the batched ones carried several keys each.
    expect(counts.single + counts.batched).toBeLessThan(requests.length * 3);
    expect(counts.keys).toBeGreaterThan(counts.batched);
    // Operators see it in the metrics.
    const metrics = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (name: string) =>
      Number(new RegExp(`^${name}\\{entity="product"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(value('architect_db_read_batches_total')).toBeGreaterThanOrEqual(counts.batched);
    expect(value('architect_db_batched_reads_total')).toBeGreaterThanOrEqual(counts.keys);
  });

  it('sends the reads of one turn as one statement, though connections are free', async () => {
    const product = api.model.entities.find((entity) => entity.name === 'product')!;
    const reader = PointReads.for(api.driver, createEntityPlan(api.model, product))!;
    const missing = '0190a3c4-0000-7000-8000-000000000001';
    const counts = countProductReads(api.driver);
    const rows = await Promise.all([ids[0], ids[1], ids[0], missing].map((id) => reader.read(id)));
    expect(counts).toEqual({ single: 0, batched: 1, keys: 3 });
    expect(rows.map((row) => row?.sku)).toEqual(['PR-0', 'PR-1', 'PR-0', undefined]);
    // Two requests for one row get two objects: one may trim what the other answers whole.
    expect(rows[2]).not.toBe(rows[0]);
    expect(reader.sent).toEqual({ statements: 1, reads: 4 });
    // A read alone in its turn runs the single-key statement.
    expect((await reader.read(ids[2]))?.sku).toBe('PR-2');
    expect(counts).toEqual({ single: 1, batched: 1, keys: 3 });
  });

  it('reads one at a time when the reads do not overlap', async () => {
    const counts = countProductReads(api.driver);
    for (const id of ids.slice(0, 3)) expect((await api.call('GET', `/products/${id}`)).status).toBe(200);
    expect(counts).toEqual({ single: 3, batched: 0, keys: 0 });
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
