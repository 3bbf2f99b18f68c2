/**
 * Ownership without tenancy (fixtures/journal): entries are private to their author for read,
 * update and delete, except for admins; `any` routes serve anonymous callers; field rules and a
 * computed column. A user going after another user's entry by every route kind gets 404s and
 * empty pages, never a 403 that would confirm the entry exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL } from '../../support/postgres.js';
import {
  type AuthzHarness,
  type Caller,
  createAuthzHarness,
  type DriverKind,
  expectStatus,
} from './support.js';

const DRIVERS: readonly DriverKind[] = SERVER_URL ? ['pglite', 'postgres'] : ['pglite'];
const FIXTURE = 'test/runtime/authz/fixtures/journal';
const ROOT: Caller = { userId: '00000000-0000-7000-8000-000000000001', roles: ['admin'] };

describe.each(DRIVERS)('ownership on %s', (kind) => {
  let api: AuthzHarness;
  let ann: Caller;
  let ben: Caller;
  let annEntry: string;

  beforeAll(async () => {
    api = await createAuthzHarness(kind, FIXTURE);
    const user = async (email: string) =>
      expectStatus(await api.call(ROOT, 'POST', '/users', { email }), 201, email).id as string;
    ann = { userId: await user('ann@example.com'), roles: [] };
    ben = { userId: await user('ben@example.com'), roles: [] };
    annEntry = expectStatus(
      await api.call(ann, 'POST', '/entries', { title: 'ann diary', words: 600, minutes: 10 }),
      201,
      'entry',
    ).id;
    expectStatus(await api.call(ROOT, 'POST', '/notices', { text: 'hello' }), 201, 'notice');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('another user cannot read, list, change, publish or delete the entry: 404 and empty pages', async () => {
    for (const [method, url, body] of [
      ['GET', `/entries/${annEntry}`, undefined],
      ['PATCH', `/entries/${annEntry}`, { title: 'ben diary' }],
      ['DELETE', `/entries/${annEntry}`, undefined],
      ['POST', `/entries/${annEntry}/publish`, undefined],
    ] as const) {
      const reply = await api.call(ben, method, url, body);
      expect(reply.status, `${method} ${url}`).toBe(404);
    }
    for (const url of ['/entries?count=true', `/entries?id=${annEntry}`, '/entries?title[like]=ann']) {
      const reply = await api.call(ben, 'GET', url);
      expect(reply.body.data, url).toEqual([]);
    }
    const viaInclude = await api.call(ann, 'GET', `/users/${ben.userId}?include=entries`);
    expect(viaInclude.status).toBe(200);
    const bensView = await api.call(ben, 'GET', `/users/${ann.userId}?include=entries`);
    expect(bensView.body.entries).toEqual([]);
    const bulk = await api.call(ben, 'POST', '/entries/bulk?mode=partial', {
      operation: 'delete',
      items: [{ id: annEntry }],
    });
    expect(bulk.body.results[0].status).toBe(404);
    const still = await api.call(ann, 'GET', `/entries/${annEntry}`);
    expect(still.body).toMatchObject({ title: 'ann diary', status: 'draft', version: 1 });
  });

  it('the author and an admin may; the author column is always the caller', async () => {
    expect((await api.call(ann, 'PATCH', `/entries/${annEntry}`, { words: 900 })).status).toBe(200);
    expect((await api.call(ROOT, 'GET', `/entries/${annEntry}`)).status).toBe(200);
    const forged = await api.call(ben, 'POST', '/entries', { title: 'as ann', authorId: ann.userId });
    expect(forged.status).toBe(422);
    const own = await api.call(ben, 'POST', '/entries', { title: 'ben' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.authorId).toBe(ben.userId);
  });

  it('computed, lifecycle and system fields are refused on writes (422), never applied', async () => {
    for (const body of [
      { effort: 1000 },
      { status: 'published' },
      { version: 5 },
      { updatedAt: '2000-01-01T00:00:00Z' },
      { authorId: ben.userId },
    ]) {
      const reply = await api.call(ann, 'PATCH', `/entries/${annEntry}`, body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
    }
    const bulk = await api.call(ann, 'POST', '/entries/bulk?mode=partial', {
      operation: 'create',
      items: [{ title: 'x', effort: 1 }],
    });
    expect(bulk.body.results[0].status).toBe(422);
    const entry = await api.call(ann, 'GET', `/entries/${annEntry}`);
    expect(entry.body).toMatchObject({ effort: 910, status: 'draft', authorId: ann.userId });
  });

  it('field roles: review notes are hidden from and refused to non-editors', async () => {
    expect(
      (await api.call(ann, 'PATCH', `/entries/${annEntry}`, { reviewNotes: 'self-review' })).status,
    ).toBe(403);
    const admin = await api.call(ROOT, 'PATCH', `/entries/${annEntry}`, { reviewNotes: 'admin' });
    expect(admin.status).toBe(403);
    const asAuthor = await api.call(ann, 'GET', `/entries/${annEntry}`);
    expect(asAuthor.body).not.toHaveProperty('reviewNotes');
    // Search covers the hidden field, so it would tell what the notes say: refused.
    expect((await api.call(ann, 'GET', '/entries?q=diary')).status).toBe(403);
    expect((await api.call(ann, 'GET', '/entries?reviewNotes[like]=x')).status).toBe(403);
  });

  it('`any` serves anonymous callers; everything else is 401 for them', async () => {
    const notices = await api.call(null, 'GET', '/notices');
    expect(notices.status).toBe(200);
    expect(notices.body.data).toHaveLength(1);
    expect((await api.call(null, 'POST', '/notices', { text: 'x' })).status).toBe(401);
    expect((await api.call(ann, 'POST', '/notices', { text: 'x' })).status).toBe(403);
    expect((await api.call(null, 'GET', '/entries')).status).toBe(401);
  });

  it('records a refusal of a signed-in caller as an access_denied security event', async () => {
    const refused = await api.call(ben, 'DELETE', `/notices/${'0'.repeat(8)}-0000-7000-8000-000000000000`);
    expect(refused.status).toBe(403);
    // The event is written after the answer is sent.
    await expect
      .poll(async () => {
        const { rows } = await api.driver.query<{
          user_id: string;
          detail: { kind: string; entity: string };
        }>(`SELECT user_id, detail FROM auth_events WHERE event = 'access_denied' AND request_id = $1`, [
          String(refused.headers['x-request-id']),
        ]);
        return rows;
      })
      .toEqual([
        { user_id: ben.userId, detail: expect.objectContaining({ kind: 'delete', entity: 'notice' }) },
      ]);
  });
});
