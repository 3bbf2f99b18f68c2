/**
 * `if_match: required` (entity or `api` default): PATCH, DELETE and transitions without If-Match
 * answer 428 and change nothing; with a stale version 412; with the current one they apply.
 * Entities left optional keep last-writer-wins, and the OpenAPI document says which is which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitOpenApi } from '../../../src/design/openapi/index.js';
import { createHarness, DRIVERS, type Harness } from './harness.js';

const FIXTURE = 'test/runtime/resources/fixtures/strict';

describe.each(DRIVERS)('if_match: required on %s', (kind) => {
  let api: Harness;
  beforeAll(async () => {
    api = await createHarness(kind, FIXTURE);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses PATCH, DELETE and transitions without If-Match (428), changing nothing', async () => {
    const created = await api.call('POST', '/contracts', { body: { title: 'lease' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const patched = await api.call('PATCH', `/contracts/${id}`, { body: { title: 'changed' } });
    expect(patched.status).toBe(428);
    expect(patched.body.error.code).toBe('PRECONDITION_REQUIRED');
    expect((await api.call('POST', `/contracts/${id}/sign`)).status).toBe(428);
    expect((await api.call('DELETE', `/contracts/${id}`)).status).toBe(428);
    const read = await api.call('GET', `/contracts/${id}`);
    expect(read.body).toMatchObject({ title: 'lease', status: 'draft', version: 1 });
  });

  it('applies a change that names the current version, and refuses a stale one (412)', async () => {
    const id = (await api.call('POST', '/contracts', { body: { title: 'loan' } })).body.id as string;
    const first = await api.call('PATCH', `/contracts/${id}`, {
      body: { title: 'loan v2' },
      headers: { 'if-match': '"1"' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await api.call('POST', `/contracts/${id}/sign`, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    // A header that names none of this API's tags never matches, and the answer says why.
    for (const header of ['abc', '"draft"', 'W/"x", *']) {
      const refused = await api.call('PATCH', `/contracts/${id}`, {
        body: { title: 'never' },
        headers: { 'if-match': header },
      });
      expect(refused.status).toBe(412);
      expect(refused.body.error).toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: `If-Match must name versions of the contract as its ETag does ("3"); got ${header}`,
      });
    }
    const signed = await api.call('POST', `/contracts/${id}/sign`, { headers: { 'if-match': '"2"' } });
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('signed');
  });

  it('takes a list of tags: any current one matches (RFC 9110 §13.1.1), none gives 412', async () => {
    const id = (await api.call('POST', '/contracts', { body: { title: 'bond' } })).body.id as string;
    const renamed = await api.call('PATCH', `/contracts/${id}`, {
      body: { title: 'bond v2' },
      headers: { 'if-match': '"7", W/"1", "other"' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.etag).toBe('"2"');
    const stale = await api.call('POST', `/contracts/${id}/sign`, { headers: { 'if-match': '"1", "3"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({
      message: 'The contract has changed since version 1 or 3',
      details: { currentVersion: 2 },
    });
    const signed = await api.call('POST', `/contracts/${id}/sign`, { headers: { 'if-match': '"1","2"' } });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', version: 3 });
    const kept = await api.call('DELETE', `/contracts/${id}`, { headers: { 'if-match': '"1", "2"' } });
    expect(kept.status).toBe(412);
    const removed = await api.call('DELETE', `/contracts/${id}`, { headers: { 'if-match': '"2", "3"' } });
    expect(removed.status).toBe(204);
    expect((await api.call('GET', `/contracts/${id}`)).status).toBe(404);
    expect(api.violations).toEqual([]);
  });

  it('leaves other entities last-writer-wins', async () => {
    const id = (await api.call('POST', '/memos', { body: { text: 'a' } })).body.id as string;
    expect((await api.call('PATCH', `/memos/${id}`, { body: { text: 'b' } })).status).toBe(200);
    expect((await api.call('DELETE', `/memos/${id}`)).status).toBe(204);
    expect(api.violations).toEqual([]);
  });
});

describe('the OpenAPI document of if_match: required', () => {
  it('lists 428 on the changes of strict entities only', async () => {
    const api = await createHarness('pglite', FIXTURE);
    try {
      // biome-ignore lint/suspicious/noExplicitAny: walking the emitted document
      const paths = (emitOpenApi(api.model) as any).paths;
      expect(Object.keys(paths['/api/v1/contracts/{id}'].patch.responses)).toContain('428');
      expect(Object.keys(paths['/api/v1/contracts/{id}/sign'].post.responses)).toContain('428');
      expect(Object.keys(paths['/api/v1/memos/{id}'].patch.responses)).not.toContain('428');
      expect(Object.keys(paths['/api/v1/memos/{id}'].patch.responses)).toContain('412');
    } finally {
      await api.close();
    }
  });
});
