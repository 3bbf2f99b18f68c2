/**
 * Keyset pagination as a property, on both drivers: for random rows, random filters and a random
 * sort over indexed fields (nullable ones included, with many ties), following `nextCursor` page
 * by page returns exactly the rows the in-memory reference returns, in its order, with no
 * duplicate and no gap, whatever the page size. The exact count agrees too.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DRIVERS, type Harness } from '../resources/harness.js';
import {
  expectedRows,
  filtersArbitrary,
  type ItemRow,
  itemsArbitrary,
  PAGES_BLUEPRINT,
  sortArbitrary,
} from './model.js';

/** Runs per driver: enough to meet NULL ties and empty pages, small enough for two cores. */
const RUNS = 40;

describe.each(DRIVERS)('keyset pagination on %s', (kind) => {
  let api: Harness;

  beforeAll(async () => {
    api = await createHarness(kind, PAGES_BLUEPRINT);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('pages through exactly the reference rows, in order, without duplicates or gaps', async () => {
    await fc.assert(
      fc.asyncProperty(
        itemsArbitrary(30),
        filtersArbitrary,
        sortArbitrary,
        fc.integer({ min: 1, max: 7 }),
        async (items, filters, sort, limit) => {
          await api.driver.query('DELETE FROM items');
          let rows: ItemRow[] = [];
          if (items.length > 0) {
            const created = await api.call('POST', '/items/bulk', {
              body: {
                operation: 'create',
                items: items.map((item) =>
                  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null)),
                ),
              },
            });
            expect(created.status).toBe(200);
            rows = created.body.results.map((result: { id: string }, index: number) => ({
              ...items[index]!,
              id: result.id,
            }));
          }
          const expected = expectedRows(rows, filters, sort).map((row) => row.id);
          const query = new URLSearchParams();
          for (const filter of filters) query.set(filter.key, filter.value);
          if (sort.length > 0)
            query.set('sort', sort.map((key) => (key.descending ? '-' : '') + key.field).join(','));
          query.set('limit', String(limit));
          query.set('count', 'true');

          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const url: string = `/items?${query}${cursor ? `&cursor=${cursor}` : ''}`;
            const page = await api.call('GET', url);
            expect(page.status, url).toBe(200);
            expect(page.body.data.length).toBeLessThanOrEqual(limit);
            expect(page.body.page.count).toBe(expected.length);
            seen.push(...page.body.data.map((row: { id: string }) => row.id));
            cursor = page.body.page.nextCursor;
            pages += 1;
            expect(pages, 'pages never loop').toBeLessThanOrEqual(expected.length + 1);
          } while (cursor);
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
