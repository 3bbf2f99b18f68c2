/**
 * Writes that go to the database together answer as if each had run alone, as a property, on
 * both drivers. Each run seeds a few rows, then sends a random wave of creates and updates at
 * once, held behind a table lock so that they queue and leave in batches
 * (resources/write-batches.ts):
 * - creates use codes from a small set, so they collide with each other and with stored rows;
 *   of the valid creates of one code exactly one succeeds (none when the code is stored), the
 *   others get 409, and invalid bodies get 422;
 * - updates rename stored rows, with the row's version, a stale one, or no If-Match; of the
 *   updates of one row with its version exactly one succeeds, the others get 412, stale ones get
 *   412 and those without If-Match all apply, each with its own version;
 * - what is stored is exactly what the 2xx answers said, and each answer is the request's own.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DRIVERS, type Harness, sendWhileLocked } from '../resources/harness.js';
import { PAGES_BLUEPRINT } from './model.js';

const RUNS = 15;
const CODES = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];

type Write =
  | { kind: 'create'; body: { code: string; label?: string; price: string }; isValid: boolean }
  | { kind: 'update'; row: number; label: string; version: 'current' | 'stale' | 'none' };

const writeArbitrary: fc.Arbitrary<Write> = fc.oneof(
  fc
    .record({
      code: fc.constantFrom(...CODES, 'too-long-code-for-16'),
      label: fc.option(fc.constantFrom('a', 'b'), { nil: undefined, freq: 6 }),
      price: fc.integer({ min: 0, max: 999 }).map((cents) => (cents / 100).toFixed(2)),
    })
    .map(({ code, label, price }) => ({
      kind: 'create' as const,
      body: label === undefined ? { code, price } : { code, label, price },
      isValid: label !== undefined && code.length <= 16,
    })),
  fc.record({
    kind: fc.constant('update' as const),
    row: fc.integer({ min: 0, max: 2 }),
    label: fc.constantFrom('x', 'y', 'z'),
    version: fc.constantFrom('current' as const, 'stale' as const, 'none' as const),
  }),
);

describe.each(DRIVERS)('writes together on %s', (kind) => {
  let api: Harness;

  beforeAll(async () => {
    api = await createHarness(kind, PAGES_BLUEPRINT);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answer each request as if it had run alone, and store what they answered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(CODES, { minLength: 3, maxLength: 3 }),
        fc.array(writeArbitrary, { minLength: 2, maxLength: 24 }),
        async (seeded, wave) => {
          await api.driver.query('DELETE FROM items');
          const stored: { id: string; code: string }[] = [];
          for (const code of seeded) {
            const made = await api.call('POST', '/items', { body: { code, label: 'seed', price: '1.00' } });
            stored.push({ id: made.body.id, code });
          }
          const replies = await sendWhileLocked(api, 'items', () =>
            wave.map((write) =>
              write.kind === 'create'
                ? api.call('POST', '/items', { body: write.body })
                : api.call('PATCH', `/items/${stored[write.row]!.id}`, {
                    body: { label: write.label },
                    headers:
                      write.version === 'none'
                        ? {}
                        : { 'if-match': write.version === 'current' ? '"1"' : '"9"' },
                  }),
            ),
          );
          const rows = await api.call('GET', '/items?limit=100');
          const byCode = new Map<string, Record<string, unknown>>(
            rows.body.data.map((row: { code: string }) => [row.code, row]),
          );

          // creates: per code, one winner among the valid ones unless the code was stored
          for (const code of [...CODES, 'too-long-code-for-16']) {
            const sent = wave
              .map((write, index) => ({ write, reply: replies[index]! }))
              .filter(({ write }) => write.kind === 'create' && write.body.code === code);
            const valid = sent.filter(({ write }) => write.kind === 'create' && write.isValid);
            const won = valid.filter(({ reply }) => reply.status === 201);
            expect(won.length).toBe(seeded.includes(code) || valid.length === 0 ? 0 : 1);
            for (const { reply } of valid) if (reply.status !== 201) expect(reply.status).toBe(409);
            for (const { write, reply } of sent) {
              if (write.kind === 'create' && !write.isValid) expect(reply.status).toBe(422);
            }
            for (const { write, reply } of won) {
              expect(reply.body).toMatchObject({
                ...(write.kind === 'create' ? write.body : {}),
                version: 1,
              });
              expect(byCode.get(code)).toEqual(reply.body);
            }
            if (!seeded.includes(code) && won.length === 0) expect(byCode.has(code)).toBe(false);
          }

          // updates: per stored row, one winner among those with its version; stale ones fail;
          // those without If-Match all apply; the stored row is the last answer's
          for (const [row, { code }] of stored.entries()) {
            const sent = wave
              .map((write, index) => ({ write, reply: replies[index]! }))
              .filter(({ write }) => write.kind === 'update' && write.row === row);
            const current = sent.filter(
              ({ write }) => write.kind === 'update' && write.version === 'current',
            );
            const applied = sent.filter(({ reply }) => reply.status === 200);
            for (const { write, reply } of sent) {
              if (write.kind !== 'update') continue;
              if (write.version === 'stale') expect(reply.status).toBe(412);
              if (write.version === 'none') expect(reply.status).toBe(200);
              if (reply.status === 200) expect(reply.body).toMatchObject({ code, label: write.label });
              else expect(reply.status).toBe(412);
            }
            // the one with the version it read wins only if it ran before every other change
            expect(current.filter(({ reply }) => reply.status === 200).length).toBeLessThanOrEqual(1);
            // each applied change made its own version: 2, 3, ...
            const versions = applied.map(({ reply }) => reply.body.version as number).sort((a, b) => a - b);
            expect(versions).toEqual(versions.map((_, index) => index + 2));
            const last = applied.find(({ reply }) => reply.body.version === versions.at(-1));
            expect(byCode.get(code)).toEqual(
              last ? last.reply.body : expect.objectContaining({ label: 'seed' }),
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
    // Writes did go to the database together: random waves may hold too few writes of a kind to
    // batch (about 2% of runs would have none), so one wave that must batch on any driver: six
    // creates, and six updates of six rows (two writes of one row never share a statement).
    await api.driver.query('DELETE FROM items');
    const rows: string[] = [];
    for (const code of CODES) {
      rows.push((await api.call('POST', '/items', { body: { code, label: 'seed', price: '1.00' } })).body.id);
    }
    const replies = await sendWhileLocked(api, 'items', () => [
      ...CODES.map((code) =>
        api.call('POST', '/items', { body: { code: `n${code}`, label: 'a', price: '2.00' } }),
      ),
      ...rows.map((id) => api.call('PATCH', `/items/${id}`, { body: { label: 'x' } })),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([...CODES.map(() => 201), ...rows.map(() => 200)]);
    const metrics = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const operation of ['create', 'update']) {
      expect(metrics).toMatch(
        new RegExp(
          `^architect_db_write_batches_total\\{entity="item",operation="${operation}"\\} [1-9]`,
          'm',
        ),
      );
    }
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
