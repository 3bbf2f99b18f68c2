/**
 * Bulk writes as properties, on both drivers. Random batches mix valid items, invalid ones
 * (a negative price, a missing label, an over-long code) and unique conflicts (within the batch
 * and with rows already stored):
 * - atomic mode either applies every item (200) or none (the table is unchanged), and it
 *   applies them exactly when the reference says every item is good;
 * - partial mode stores exactly the items it reports as 201, each as sent, and nothing else.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DRIVERS, type Harness } from '../resources/harness.js';
import { PAGES_BLUEPRINT } from './model.js';

const RUNS = 25;

interface BulkItem {
  code?: string;
  label?: string;
  price?: string;
  rank?: number;
}

/** Codes from a small set, so batches collide with themselves and with stored rows. */
const itemArbitrary: fc.Arbitrary<{ item: BulkItem; isValid: boolean }> = fc
  .record({
    code: fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'too-long-code-for-16'),
    label: fc.option(fc.constantFrom('a', 'b'), { nil: undefined, freq: 8 }),
    price: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 999 }).map((cents) => (cents / 100).toFixed(2)) },
      { weight: 1, arbitrary: fc.constant('-1.00') },
    ),
    rank: fc.integer({ min: 0, max: 9 }),
  })
  .map((item) => ({
    item: Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as BulkItem,
    isValid: item.label !== undefined && !item.price.startsWith('-') && item.code.length <= 16,
  }));

type Stored = Record<string, { label: string; price: string; rank: number | null }>;

describe.each(DRIVERS)('bulk writes on %s', (kind) => {
  let api: Harness;

  beforeAll(async () => {
    api = await createHarness(kind, PAGES_BLUEPRINT);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function snapshot(): Promise<Stored> {
    const { rows } = await api.driver.query<{
      code: string;
      label: string;
      price: string;
      rank: number | null;
    }>('SELECT code, label, price::text AS price, rank FROM items ORDER BY code');
    return Object.fromEntries(
      rows.map((row) => [row.code, { label: row.label, price: row.price, rank: row.rank }]),
    );
  }

  async function seed(codes: readonly string[]): Promise<void> {
    await api.driver.query('DELETE FROM items');
    for (const code of codes) {
      await api.driver.query(`INSERT INTO items (code, label, price) VALUES ($1, 'seed', 1)`, [code]);
    }
  }

  const seedArbitrary = fc.subarray(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'], { maxLength: 3 });
  const batchArbitrary = fc.array(itemArbitrary, { minLength: 1, maxLength: 12 });

  it('atomic: all items or none, exactly when every item is good', async () => {
    await fc.assert(
      fc.asyncProperty(seedArbitrary, batchArbitrary, async (seeded, batch) => {
        await seed(seeded);
        const before = await snapshot();
        const response = await api.call('POST', '/items/bulk?mode=atomic', {
          body: { operation: 'create', items: batch.map(({ item }) => item) },
        });
        const codes = batch.map(({ item }) => item.code!);
        const isGood =
          batch.every(({ isValid }) => isValid) &&
          new Set(codes).size === codes.length &&
          codes.every((code) => !seeded.includes(code));
        const after = await snapshot();
        if (isGood) {
          expect(response.status).toBe(200);
          expect(Object.keys(after).sort()).toEqual([...Object.keys(before), ...codes].sort());
          for (const { item } of batch) {
            expect(after[item.code!]).toEqual({ label: item.label, price: item.price, rank: item.rank });
          }
        } else {
          expect([409, 413, 422]).toContain(response.status);
          expect(response.body.error.details.length).toBeGreaterThan(0);
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('partial: exactly the items reported 201 are stored, as sent', async () => {
    await fc.assert(
      fc.asyncProperty(seedArbitrary, batchArbitrary, async (seeded, batch) => {
        await seed(seeded);
        const before = await snapshot();
        const response = await api.call('POST', '/items/bulk?mode=partial', {
          body: { operation: 'create', items: batch.map(({ item }) => item) },
        });
        expect([200, 207]).toContain(response.status);
        const statuses: number[] = response.body.results.map((result: { status: number }) => result.status);
        expect(response.status).toBe(statuses.every((status) => status === 201) ? 200 : 207);
        const after = await snapshot();
        const stored = batch.filter((_, index) => statuses[index] === 201).map(({ item }) => item);
        expect(Object.keys(after).sort()).toEqual(
          [...Object.keys(before), ...stored.map((item) => item.code!)].sort(),
        );
        for (const item of stored) {
          expect(after[item.code!]).toEqual({ label: item.label, price: item.price, rank: item.rank });
        }
        for (const [index, { item, isValid }] of batch.entries()) {
          // an invalid item fails; a stored code fails; a valid new code succeeds the first time it appears
          if (!isValid) expect(statuses[index], JSON.stringify(item)).toBe(422);
          else if (seeded.includes(item.code!)) expect(statuses[index]).toBe(409);
          else if (batch.findIndex((other) => other.isValid && other.item.code === item.code) === index)
            expect(statuses[index]).toBe(201);
          else expect(statuses[index]).toBe(409);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
