/**
 * Every scalar type, and text that quoting must survive, written through every write path (a
 * create alone, creates batched together, a bulk create, a bulk upsert, a PATCH alone, PATCHes
 * batched together, a bulk update) and read back: each path stores and answers exactly what was
 * sent, on both drivers. The paths bind their values differently (one parameter per value, a
 * JSON document, typed arrays), which is where a driver's typing shows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DRIVERS, type Harness, sendWhileLocked } from './harness.js';

const BLUEPRINT = 'test/design/sql/fixtures/coverage';

/** The values a team is written with (name apart, which is unique), as the API answers them. */
const VALUES = [
  {
    homepage: 'https://example.com/a?b=c&d=%22e%22,f',
    contact: 'round.trip@example.com',
    foundedOn: '2024-02-29',
    settings: { text: 'a "quoted", {braced} \\ value', list: [1, 'two', null, { three: true }], empty: {} },
    headcount: 2147483647,
    budget: '123456789012.34',
    active: false,
    shade: 'light',
    externalRef: null,
    bigCount: 4294967296,
  },
  {
    homepage: null,
    contact: null,
    foundedOn: null,
    settings: null,
    headcount: 0,
    budget: null,
    active: true,
    shade: 'light',
    externalRef: '0190a3c4-0000-7000-8000-0000000000bb',
    bigCount: -1,
  },
] as const;

/** The values at `index` (either set), with an externalRef of its own where it has one (unique). */
function valuesAt(index: number): Record<string, unknown> {
  const values = VALUES[index % VALUES.length]!;
  return { ...values, externalRef: values.externalRef === null ? null : randomUUID() };
}

const NAMES = ['NULL', 'comma, "quote" and \\ backslash', '', 'ünïcödé ✓ 𝄞', '{"json": "like"}'];

describe.each(DRIVERS)('values through every write path on %s', (kind) => {
  let api: Harness;
  let sequence = 0;
  /** A name no other write of the suite uses. */
  const unique = (name: string) => {
    sequence += 1;
    return `${sequence} ${name}`;
  };

  beforeAll(async () => {
    api = await createHarness(kind, BLUEPRINT);
  });
  afterAll(async () => {
    await api?.close();
  });

  /** The stored team as the API answers it, without what each write makes its own. */
  const stored = async (id: string) => {
    const reply = await api.call('GET', `/teams/${id}`);
    expect(reply.status).toBe(200);
    return reply.body;
  };

  const expectRoundTrip = async (answer: Record<string, unknown>, sent: Record<string, unknown>) => {
    expect(answer).toMatchObject(sent);
    expect(await stored(answer.id as string)).toEqual(answer);
  };

  it('stores what a create alone and creates batched together send', async () => {
    for (const at of VALUES.keys()) {
      for (const name of NAMES) {
        const body = { ...valuesAt(at), name: unique(name) };
        const created = await api.call('POST', '/teams', { body });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        await expectRoundTrip(created.body, body);
      }
    }
    const bodies = [...VALUES.keys()].flatMap((at) =>
      NAMES.map((name) => ({ ...valuesAt(at), name: unique(name) })),
    );
    const replies = await sendWhileLocked(api, 'teams', () =>
      bodies.map((body) => api.call('POST', '/teams', { body })),
    );
    for (const [index, reply] of replies.entries()) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      await expectRoundTrip(reply.body, bodies[index]!);
    }
  });

  it('stores what a bulk create and a bulk upsert send', async () => {
    for (const at of VALUES.keys()) {
      const items = NAMES.map((name) => ({ ...valuesAt(at), name: unique(name) }));
      const created = await api.call('POST', '/teams/bulk', { body: { operation: 'create', items } });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      for (const [index, result] of created.body.results.entries()) {
        await expectRoundTrip(await stored(result.id), items[index]!);
      }
      // the same names again with the other values: every item updates its row
      const upserted = items.map(({ name }) => ({ ...valuesAt(at + 1), name }));
      const upsert = await api.call('POST', '/teams/bulk', {
        body: { operation: 'upsert', onConflict: 'name', items: upserted },
      });
      expect(upsert.status, JSON.stringify(upsert.body)).toBe(200);
      for (const [index, result] of upsert.body.results.entries()) {
        expect(result.id).toBe(created.body.results[index].id);
        await expectRoundTrip(await stored(result.id), upserted[index]!);
      }
    }
  });

  it('stores what a PATCH alone, PATCHes batched together and a bulk update send', async () => {
    const rows: { id: string; version: number }[] = [];
    for (const name of NAMES) {
      const created = await api.call('POST', '/teams', { body: { name: unique(name) } });
      expect(created.status).toBe(201);
      rows.push(created.body);
    }
    const patch = async (row: { id: string; version: number }, body: Record<string, unknown>) =>
      api.call('PATCH', `/teams/${row.id}`, { body, headers: { 'if-match': `"${row.version}"` } });
    // alone
    for (const [index, row] of rows.entries()) {
      const body = { ...valuesAt(index), name: unique(NAMES[index]!) };
      const patched = await patch(row, body);
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      await expectRoundTrip(patched.body, body);
      rows[index] = patched.body;
    }
    // together: the other values on every row at once
    const bodies = rows.map((_, index) => ({ ...valuesAt(index + 1), name: unique(NAMES[index]!) }));
    const replies = await sendWhileLocked(api, 'teams', () =>
      rows.map((row, index) => patch(row, bodies[index]!)),
    );
    for (const [index, reply] of replies.entries()) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      await expectRoundTrip(reply.body, bodies[index]!);
      rows[index] = reply.body;
    }
    // bulk update: each item its own values
    const items = rows.map((row, index) => ({
      id: row.id,
      version: row.version,
      ...valuesAt(index),
      name: unique(NAMES[index]!),
    }));
    const updated = await api.call('POST', '/teams/bulk', { body: { operation: 'update', items } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    for (const item of items) {
      const { version: _version, ...sent } = item;
      await expectRoundTrip(await stored(item.id), sent);
    }
  });

  it('refuses a bigint JSON cannot carry exactly, rather than store it rounded', async () => {
    // 2^53 + 1 reads as 2^53 in JavaScript: without the bound it was stored as ...992
    for (const bigCount of ['9007199254740993', '-9007199254740993', '9223372036854775807']) {
      const body = `{"name":"${unique('big')}","bigCount":${bigCount}}`;
      const created = await api.app.inject({
        method: 'POST',
        url: `${api.base}/teams`,
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(created.statusCode, body).toBe(422);
      expect(created.json().error.details).toEqual([
        expect.objectContaining({ field: 'bigCount', code: expect.stringMatching(/^(maximum|minimum)$/) }),
      ]);
    }
    const edge = { name: unique('edge'), bigCount: Number.MAX_SAFE_INTEGER };
    const created = await api.call('POST', '/teams', { body: edge });
    expect(created.status).toBe(201);
    await expectRoundTrip(created.body, edge);
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
