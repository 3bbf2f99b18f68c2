import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBulkCreateQuery,
  buildBulkDeleteQuery,
  buildBulkUpdateQuery,
  buildBulkUpsertQuery,
  buildCountQuery,
  buildIncludeManyQuery,
  buildIncludeOneQuery,
  buildListQuery,
  encodeCursor,
  parseListQuery,
} from '../../../src/runtime/query/index.js';
import { createFixture, type Fixture } from './support.js';

const origin = { actor: 'tester', requestId: 'req-1' };

function batch(items: Record<string, unknown>[]) {
  return { items: items.map((item, index) => ({ index, item })), properties: Object.keys(items[0]!) };
}

describe('list and bulk statements on PGlite with the flagship schema', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await createFixture();
  });
  afterAll(async () => {
    await fixture.driver.close();
  });

  it('creates, upserts, updates and deletes in one statement each, rows matched to items by index', async () => {
    const products = fixture.plan('product');
    const { driver } = fixture;
    const stored = async (id: unknown) =>
      (
        await driver.query<Record<string, unknown>>(
          'SELECT sku, name, reorder_point::text AS "reorderPoint", version FROM products WHERE id = $1',
          [id],
        )
      ).rows[0];
    const create = buildBulkCreateQuery(
      products,
      batch([
        { sku: 'B-1', name: 'Bolt', reorderPoint: '1.5' },
        { sku: 'B-2', name: 'Nut', reorderPoint: 3 },
      ]),
      { parentValues: [], audit: origin },
    );
    const created = (await driver.query(create.text, create.values)).rows;
    // Each row comes back with its item's index, its key and its version, and nothing more.
    expect(created.map((row) => Object.keys(row).sort())).toEqual([
      ['__ord', 'id', 'version'],
      ['__ord', 'id', 'version'],
    ]);
    const [first, second] = [0, 1].map((ord) => created.find((row) => row.__ord === ord)!);
    expect(await stored(first!.id)).toEqual({ sku: 'B-1', name: 'Bolt', reorderPoint: '1.5000', version: 1 });
    expect(await stored(second!.id)).toEqual({ sku: 'B-2', name: 'Nut', reorderPoint: '3.0000', version: 1 });

    const upsert = buildBulkUpsertQuery(
      products,
      batch([
        { sku: 'B-2', name: 'Hex nut' },
        { sku: 'B-3', name: 'Washer' },
      ]),
      { fields: [products.byProperty.get('sku')!], where: 'deleted_at IS NULL' },
      { parentValues: [], audit: origin },
    );
    const upserted = (await driver.query(upsert.text, upsert.values)).rows;
    const byOrd = new Map(upserted.map((row) => [row.__ord, row]));
    expect(byOrd.get(0)).toEqual({ __ord: 0, id: second!.id, version: 2, __created: false });
    expect(byOrd.get(1)).toMatchObject({ __ord: 1, version: 1, __created: true });
    // The update kept what the item did not carry.
    expect(await stored(second!.id)).toEqual({
      sku: 'B-2',
      name: 'Hex nut',
      reorderPoint: '3.0000',
      version: 2,
    });
    expect(await stored(byOrd.get(1)!.id)).toMatchObject({ sku: 'B-3', name: 'Washer', version: 1 });

    const update = buildBulkUpdateQuery(
      products,
      batch([
        { id: first!.id, version: 1, name: 'Bolt M8' },
        { id: second!.id, version: 1, name: 'stale' },
      ]),
      { parentValues: [], audit: origin },
    );
    const updated = (await driver.query(update.text, update.values)).rows;
    expect(updated.map((row) => [row.__ord, row.id, row.version])).toEqual([[0, first!.id, 2]]);
    expect(await stored(first!.id)).toMatchObject({ name: 'Bolt M8', version: 2 });

    const remove = buildBulkDeleteQuery(products, batch([{ id: first!.id }, { id: second!.id }]), {
      parentValues: [],
      audit: origin,
    });
    expect((await driver.query(remove.text, remove.values)).rowCount).toBe(2);
    const actions = await driver.query<{ action: string; n: number }>(
      "SELECT action, count(*)::int AS n FROM audit_log WHERE entity = 'product' GROUP BY action ORDER BY action",
    );
    expect(actions.rows).toEqual([
      { action: 'create', n: 3 },
      { action: 'delete', n: 2 },
      { action: 'update', n: 2 },
    ]);
  });

  it('pages with a keyset cursor in any direction, filters, counts and includes', async () => {
    const { driver } = fixture;
    const suppliers = fixture.plan('supplier');
    const create = buildBulkCreateQuery(
      suppliers,
      batch(
        Array.from({ length: 7 }, (_, index) => ({
          code: `C${index % 3}-${index}`,
          name: `Supplier ${index}`,
        })),
      ),
      { parentValues: [] },
    );
    await driver.query(create.text, create.values);

    const pages = async (query: Record<string, string>) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const request = parseListQuery(suppliers, fixture.plans, { ...query, ...(cursor ? { cursor } : {}) });
        const sql = buildListQuery(suppliers, request);
        const rows = (await driver.query(sql.text, sql.values)).rows;
        const page = rows.slice(0, request.limit);
        seen.push(...page.map((row) => String(row.code)));
        if (rows.length <= request.limit) break;
        const last = page.at(-1)!;
        cursor = encodeCursor(
          request.sortText,
          request.sort.map((key) => last[key.field.property]),
        );
      }
      return seen;
    };
    const all = await pages({ limit: '100', sort: 'code' });
    expect(await pages({ limit: '2', sort: '-code' })).toEqual([...all].reverse());
    expect(await pages({ limit: '3', sort: 'code' })).toEqual(all);

    // A unique required field orders the rows alone: no tie-breaker, so PostgreSQL reads its
    // unique index in order instead of sorting each run of equal values by the key as well.
    const byCode = parseListQuery(suppliers, fixture.plans, { sort: 'code' });
    expect(byCode.sort.map((key) => key.field.property)).toEqual(['code']);
    const plan = async (query: Record<string, string>) => {
      const sql = buildListQuery(suppliers, parseListQuery(suppliers, fixture.plans, query));
      await driver.exec('SET enable_seqscan = off');
      try {
        const explained = await driver.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.text}`, [
          ...sql.values,
        ]);
        return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await driver.exec('RESET enable_seqscan');
      }
    };
    expect(await plan({ sort: 'code', limit: '2' })).not.toMatch(/Sort/);
    // a field that is not unique still takes the key after it
    const orders = fixture.plan('purchase_order');
    const byStatus = parseListQuery(orders, fixture.plans, { sort: 'status' });
    expect(byStatus.sort.map((key) => key.field.property)).toEqual(['status', 'id']);
    // a cursor issued while the sort still carried the key goes on where it left off
    const [third] = (
      await driver.query<{ code: string; id: string }>(
        'SELECT code, id FROM suppliers ORDER BY code LIMIT 1 OFFSET 2',
      )
    ).rows;
    const older = parseListQuery(suppliers, fixture.plans, {
      sort: 'code',
      cursor: encodeCursor('code', [third!.code, third!.id]),
    });
    const after = buildListQuery(suppliers, older);
    expect((await driver.query(after.text, after.values)).rows.map((row) => row.code)).toEqual(all.slice(3));

    const filtered = parseListQuery(suppliers, fixture.plans, { 'code[prefix]': 'C1', count: 'true' });
    const count = buildCountQuery(suppliers, filtered);
    expect((await driver.query(count.text, count.values)).rows[0]!.count).toBe(2);

    const ids = (await driver.query<{ id: string }>('SELECT id FROM suppliers')).rows.map((row) => row.id);
    const one = buildIncludeOneQuery(suppliers, ids.slice(0, 3));
    expect((await driver.query(one.text, one.values)).rowCount).toBe(3);
    const many = buildIncludeManyQuery(orders, orders.byProperty.get('supplierId')!, ids, 10);
    expect((await driver.query(many.text, many.values)).rows).toEqual([]);
  });
});
