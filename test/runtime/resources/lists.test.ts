/**
 * Lists through real requests on both drivers: every filter operator on every kind of field it
 * applies to, sort limited to indexed fields, exact counts only when asked, sparse fieldsets on
 * lists and items, full-text search, and includes that cost one query per relation level
 * whatever the page size (counted at the driver).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DRIVERS, type Harness } from './harness.js';
import { countStatements, type StatementCounter } from './statement-counter.js';

type Row = Record<string, unknown>;

describe.each(DRIVERS)('lists on %s', (kind) => {
  let api: Harness;
  let counter: StatementCounter;
  const supplierIds: Record<string, string> = {};
  let destinationId: string;
  const orderIds: string[] = [];

  /** The values of `property` in a list response, in order. */
  async function values(url: string, property = 'code'): Promise<unknown[]> {
    const response = await api.call('GET', url);
    expect(response.status, url).toBe(200);
    return response.body.data.map((row: Row) => row[property]);
  }

  beforeAll(async () => {
    api = await createHarness(kind);
    counter = countStatements(api.driver);
    const suppliers = [
      { code: 'S-A', name: 'Alpha 100%', leadTimeDays: null, email: null, active: true },
      { code: 'S-B', name: 'beta_parts', leadTimeDays: 0, email: 'b@example.com', active: true },
      { code: 'S-C', name: 'Beta Tools', leadTimeDays: 5, email: 'c@example.com', active: false },
      { code: 'S-D', name: 'Delta', leadTimeDays: 10, email: null, active: true },
      { code: 'S-E', name: 'Echo', leadTimeDays: 20, email: 'e@example.com', active: false },
    ];
    for (const supplier of suppliers) {
      const body = Object.fromEntries(Object.entries(supplier).filter(([, value]) => value !== null));
      const created = await api.call('POST', '/suppliers', { body });
      expect(created.status).toBe(201);
      supplierIds[supplier.code] = created.body.id;
    }
    destinationId = (await api.call('POST', '/locations', { body: { code: 'DST', name: 'Dock' } })).body.id;
    const products = Array.from({ length: 6 }, (_, index) => ({
      sku: `LP-${index}`,
      name: ['Blue widget', 'Red widget', 'Blue gadget', 'Green gadget', 'Plain bolt', 'Blue bolt'][index],
    }));
    const productIds = (
      await api.call('POST', '/products/bulk', { body: { operation: 'create', items: products } })
    ).body.results.map((result: Row) => result.id as string);
    const orders = [
      { number: 'LPO-1', supplier: 'S-A', expectedOn: '2026-01-10' },
      { number: 'LPO-2', supplier: 'S-B', expectedOn: '2026-02-01' },
      { number: 'LPO-3', supplier: 'S-B', expectedOn: '2026-02-28' },
      { number: 'LPO-4', supplier: 'S-C' },
      { number: 'LPO-5', supplier: 'S-D', expectedOn: '2026-03-01' },
    ];
    for (const order of orders) {
      const created = await api.call('POST', '/purchase-orders', {
        body: {
          number: order.number,
          supplierId: supplierIds[order.supplier],
          destinationId,
          ...(order.expectedOn ? { expectedOn: order.expectedOn } : {}),
        },
      });
      expect(created.status).toBe(201);
      orderIds.push(created.body.id);
      for (const [index, productId] of productIds.slice(0, 3).entries()) {
        const line = await api.call('POST', `/purchase-orders/${created.body.id}/lines`, {
          body: { lineNo: index + 1, productId, qtyOrdered: '1', unitCost: '2' },
        });
        expect(line.status).toBe(201);
      }
    }
    await api.call('POST', `/purchase-orders/${orderIds[1]}/submit`);
    await api.call('POST', `/purchase-orders/${orderIds[2]}/submit`);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('filters integers with every comparison, in, and is null', async () => {
    const base = '/suppliers?sort=code&code[prefix]=S-&';
    expect(await values(`${base}leadTimeDays=5`)).toEqual(['S-C']);
    expect(await values(`${base}leadTimeDays[eq]=0`)).toEqual(['S-B']);
    // ne is SQL <>: the null row does not match
    expect(await values(`${base}leadTimeDays[ne]=5`)).toEqual(['S-B', 'S-D', 'S-E']);
    expect(await values(`${base}leadTimeDays[lt]=10`)).toEqual(['S-B', 'S-C']);
    expect(await values(`${base}leadTimeDays[lte]=10`)).toEqual(['S-B', 'S-C', 'S-D']);
    expect(await values(`${base}leadTimeDays[gt]=5`)).toEqual(['S-D', 'S-E']);
    expect(await values(`${base}leadTimeDays[gte]=5&leadTimeDays[lt]=20`)).toEqual(['S-C', 'S-D']);
    expect(await values(`${base}leadTimeDays[in]=0,20,99`)).toEqual(['S-B', 'S-E']);
    expect(await values(`${base}leadTimeDays[is]=null`)).toEqual(['S-A']);
    expect(await values(`${base}leadTimeDays[is]=notnull`)).toEqual(['S-B', 'S-C', 'S-D', 'S-E']);
  });

  it('filters strings with like (case-sensitive), ilike, prefix and ne; wildcards are only *', async () => {
    const base = '/suppliers?sort=code&';
    expect(await values(`${base}name[like]=Beta*`)).toEqual(['S-C']);
    expect(await values(`${base}name[ilike]=beta*`)).toEqual(['S-B', 'S-C']);
    expect(await values(`${base}name[ilike]=*T*`)).toEqual(['S-B', 'S-C', 'S-D']);
    expect(await values(`${base}name[prefix]=Del`)).toEqual(['S-D']);
    // % and _ match themselves, not any text
    expect(await values(`${base}name[like]=*${encodeURIComponent('100%')}`)).toEqual(['S-A']);
    expect(await values(`${base}name[like]=beta_*`)).toEqual(['S-B']);
    expect(await values(`${base}name[prefix]=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await values(`${base}code[ne]=S-A&code[prefix]=S-`)).toEqual(['S-B', 'S-C', 'S-D', 'S-E']);
    expect(await values(`${base}email[is]=null&code[prefix]=S-`)).toEqual(['S-A', 'S-D']);
    expect(await values(`${base}email[ilike]=*@EXAMPLE.com&code[in]=S-B,S-C`)).toEqual(['S-B', 'S-C']);
  });

  it('matches in-list items in double quotes whole, commas and escaped quotes included', async () => {
    const base = '/suppliers?sort=code&';
    const inList = (text: string) => `${base}name[in]=${encodeURIComponent(text)}`;
    expect(await values(inList('"Beta Tools","Alpha 100%"'))).toEqual(['S-A', 'S-C']);
    expect(await values(inList('Delta,"Echo"'))).toEqual(['S-D', 'S-E']);
    // one item, not two: no supplier is named "Delta, Echo"
    expect(await values(inList('"Delta, Echo"'))).toEqual([]);
    const quoted = await api.call('POST', '/suppliers', {
      body: { code: 'S-Q', name: 'Quote "Q", Ltd \\ Co' },
    });
    expect(quoted.status).toBe(201);
    expect(await values(inList('"Quote \\"Q\\", Ltd \\\\ Co",Delta'))).toEqual(['S-D', 'S-Q']);
    expect((await api.call('DELETE', `/suppliers/${quoted.body.id}`)).status).toBe(204);
    const open = await api.call('GET', inList('"Delta'));
    expect(open.status).toBe(400);
    expect(open.body.error).toMatchObject({ code: 'MALFORMED_REQUEST' });
    expect(open.body.error.message).toContain('name[in]: a quoted value is not closed');
  });

  it('filters booleans, enums, references and date ranges', async () => {
    expect(await values('/suppliers?sort=code&active=false')).toEqual(['S-C', 'S-E']);
    // in on booleans: once a 500 on the server (postgres.js sent the array as one boolean)
    expect(await values('/suppliers?sort=code&active[in]=false')).toEqual(['S-C', 'S-E']);
    expect(await values('/suppliers?sort=code&active[in]=true,false')).toEqual([
      'S-A',
      'S-B',
      'S-C',
      'S-D',
      'S-E',
    ]);
    const orders = '/purchase-orders?sort=number&number[prefix]=LPO-&';
    expect(await values(`${orders}status=submitted`, 'number')).toEqual(['LPO-2', 'LPO-3']);
    expect(await values(`${orders}status[ne]=draft`, 'number')).toEqual(['LPO-2', 'LPO-3']);
    expect(await values(`${orders}status[in]=draft,cancelled`, 'number')).toEqual([
      'LPO-1',
      'LPO-4',
      'LPO-5',
    ]);
    expect(await values(`${orders}supplierId=${supplierIds['S-B']}`, 'number')).toEqual(['LPO-2', 'LPO-3']);
    expect(
      await values(`${orders}supplierId[in]=${supplierIds['S-A']},${supplierIds['S-D']}`, 'number'),
    ).toEqual(['LPO-1', 'LPO-5']);
    // a date range: February, both ends inclusive
    expect(await values(`${orders}expectedOn[gte]=2026-02-01&expectedOn[lte]=2026-02-28`, 'number')).toEqual([
      'LPO-2',
      'LPO-3',
    ]);
    expect(await values(`${orders}expectedOn[gt]=2026-02-28`, 'number')).toEqual(['LPO-5']);
    expect(await values(`${orders}expectedOn[is]=null`, 'number')).toEqual(['LPO-4']);
    expect((await api.call('GET', `${orders}expectedOn[gte]=2026-02-30`)).status).toBe(400);
    expect((await api.call('GET', `${orders}status=shipped`)).status).toBe(400);
    expect((await api.call('GET', `${orders}active[like]=x`)).status).toBe(400);
    // A parameter given twice is refused as such, not as a value of the wrong type.
    for (const query of [
      'limit=1&limit=2',
      'number=LPO-1&number=LPO-2',
      'status[in]=draft&status[in]=closed',
    ]) {
      const twice = await api.call('GET', `${orders}${query}`);
      const name = query.split('=')[0]!;
      expect(twice.status).toBe(400);
      expect(twice.body.error).toMatchObject({
        code: 'MALFORMED_REQUEST',
        message: `Invalid query parameter ${name}: is given more than once`,
        details: [{ field: name, code: 'repeated', message: 'is given more than once' }],
      });
    }
  });

  it('filters datetimes by range: rows created in a window', async () => {
    const all = (await api.call('GET', '/purchase-orders?sort=number&number[prefix]=LPO-')).body
      .data as Row[];
    const stamps = all.map((row) => row.createdAt as string);
    expect(stamps.every((stamp) => !Number.isNaN(Date.parse(stamp)))).toBe(true);
    const from = encodeURIComponent(stamps[1]!);
    const to = encodeURIComponent(stamps[3]!);
    expect(
      await values(
        `/purchase-orders?sort=number&number[prefix]=LPO-&createdAt[gte]=${from}&createdAt[lte]=${to}`,
        'number',
      ),
    ).toEqual(['LPO-2', 'LPO-3', 'LPO-4']);
    const later = encodeURIComponent(new Date(Date.parse(stamps[4]!) + 60_000).toISOString());
    expect(await values(`/purchase-orders?createdAt[gt]=${later}`, 'number')).toEqual([]);
  });

  it('sorts only on indexed fields; the key breaks ties; other fields are refused naming the choices', async () => {
    expect(await values('/purchase-orders?sort=-number&number[prefix]=LPO-', 'number')).toEqual([
      'LPO-5',
      'LPO-4',
      'LPO-3',
      'LPO-2',
      'LPO-1',
    ]);
    const byState = await api.call('GET', '/purchase-orders?sort=status&number[prefix]=LPO-');
    const states = byState.body.data.map((row: Row) => [row.status, row.id]);
    expect(states.map(([state]: unknown[]) => state)).toEqual([
      'draft',
      'draft',
      'draft',
      'submitted',
      'submitted',
    ]);
    // ties (same status) come in key order
    const drafts = states.filter(([state]: unknown[]) => state === 'draft').map(([, id]: unknown[]) => id);
    expect(drafts).toEqual([...drafts].sort());
    const refused = await api.call('GET', '/suppliers?sort=name');
    expect(refused.status).toBe(400);
    // the answer names the refused property and the sortable ones (the key and the indexed code)
    expect(refused.body.error).toMatchObject({
      code: 'MALFORMED_REQUEST',
      message: 'Invalid query parameter sort: "name" is not one of id, code',
      details: [{ field: 'sort', code: 'pattern', message: '"name" is not one of id, code' }],
    });
  });

  it('answers a refused comma list with the items it got wrong, not with its pattern', async () => {
    const refusals: [string, string, string][] = [
      ['/suppliers?sort=-code,-nme,', 'sort', '"-nme" is not one of id, code; "" is not one of id, code'],
      ['/suppliers?fields=code,colour', 'fields', '"colour" is not one of '],
      ['/purchase-orders?include=lines,shipments', 'include', '"shipments" is not one of '],
      ['/purchase-orders?include=lines.a.b.c', 'include', '"lines.a.b.c" goes deeper than 3 levels'],
      ['/purchase-orders?status[in]=draft,shipped', 'status[in]', '"shipped" is not one of draft, '],
      ['/purchase-orders?id[in]=abc', 'id[in]', '"abc" is not a uuid'],
      [
        '/purchase-orders?expectedOn[in]=2026-02-01,soon',
        'expectedOn[in]',
        '"soon" is not a date (YYYY-MM-DD)',
      ],
      ['/purchase-orders?cursor=a.b', 'cursor', 'is not a cursor this API issued'],
      // a parameter the route does not take: an operator the filter lacks, a typo, or neither
      ['/purchase-orders?number[gt]=PO', 'number[gt]', 'is not a filter: `number` takes eq, ne, in, like, '],
      ['/suppliers?cdoe=ACME', 'cdoe', 'is not a query parameter of this route; did you mean `code`?'],
      ['/suppliers?colour=red', 'colour', 'is not a query parameter of this route'],
    ];
    for (const [path, name, message] of refusals) {
      const refused = await api.call('GET', path);
      expect(refused.status, path).toBe(400);
      expect(refused.body.error.code).toBe('MALFORMED_REQUEST');
      expect(refused.body.error.message, path).toContain(`Invalid query parameter ${name}: ${message}`);
      expect(refused.body.error.message, path).not.toContain('must match pattern');
    }
    expect(api.violations).toEqual([]);
  });

  it('counts exactly only when asked, with one more statement', async () => {
    const plain = await counter.during(async () => {
      const page = await api.call('GET', '/suppliers?code[prefix]=S-&limit=2');
      expect(page.body.page).not.toHaveProperty('count');
      expect(page.body.page.nextCursor).toEqual(expect.any(String));
    });
    const counted = await counter.during(async () => {
      const page = await api.call('GET', '/suppliers?code[prefix]=S-&limit=2&count=true');
      expect(page.body.data).toHaveLength(2);
      expect(page.body.page.count).toBe(5);
    });
    expect(counted.length).toBe(plain.length + 1);
    const none = await api.call('GET', '/suppliers?code=nothing&count=true');
    expect(none.body).toEqual({ data: [], page: { limit: 50, nextCursor: null, count: 0 } });
  });

  it('returns sparse fieldsets on lists and item reads; the key always comes along', async () => {
    const list = await api.call('GET', '/suppliers?fields=name,leadTimeDays&sort=code&code[in]=S-A,S-C');
    expect(list.body.data).toEqual([
      { id: supplierIds['S-A'], name: 'Alpha 100%', leadTimeDays: null },
      { id: supplierIds['S-C'], name: 'Beta Tools', leadTimeDays: 5 },
    ]);
    const item = await api.call('GET', `/suppliers/${supplierIds['S-D']}?fields=code`);
    expect(item.status).toBe(200);
    expect(item.body).toEqual({ id: supplierIds['S-D'], code: 'S-D' });
    expect(item.headers.etag).toBe('"1"');
    const withInclude = await api.call(
      'GET',
      `/purchase-orders/${orderIds[0]}?fields=number&include=supplier`,
    );
    expect(withInclude.body).toEqual({
      id: orderIds[0],
      number: 'LPO-1',
      supplier: expect.objectContaining({ id: supplierIds['S-A'], code: 'S-A' }),
    });
  });

  it('searches the search fields with web-search syntax, as a filter that keeps the sort', async () => {
    const sku = '/products?sort=sku&sku[prefix]=LP-&fields=sku&';
    expect(await values(`${sku}q=blue`, 'sku')).toEqual(['LP-0', 'LP-2', 'LP-5']);
    expect(await values(`${sku}q=blue -bolt`, 'sku')).toEqual(['LP-0', 'LP-2']);
    expect(await values(`${sku}q=${encodeURIComponent('"blue gadget"')}`, 'sku')).toEqual(['LP-2']);
    expect(await values(`${sku}q=gadget or bolt`, 'sku')).toEqual(['LP-2', 'LP-3', 'LP-4', 'LP-5']);
    // the sku is a search field too
    expect(await values(`${sku}q=LP-4`, 'sku')).toEqual(['LP-4']);
    const unsearchable = await api.call('GET', '/suppliers?q=alpha');
    expect(unsearchable.status).toBe(400);
    expect(unsearchable.body.error.message).toContain('query parameter q');
  });

  it('includes related rows with one query per relation level, whatever the page size', async () => {
    const include = 'include=supplier,destination,lines.product';
    const small = await counter.during(async () => {
      const page = await api.call(
        'GET',
        `/purchase-orders?number[prefix]=LPO-&sort=number&limit=2&${include}`,
      );
      expect(page.body.data).toHaveLength(2);
    });
    let full: Row[] = [];
    const large = await counter.during(async () => {
      const page = await api.call(
        'GET',
        `/purchase-orders?number[prefix]=LPO-&sort=number&limit=50&${include}`,
      );
      full = page.body.data;
    });
    // the page, supplier, destination, lines, and the lines' products: five statements
    expect(large).toHaveLength(5);
    expect(small).toHaveLength(5);
    expect(full).toHaveLength(5);
    for (const order of full) {
      expect(order.supplier).toMatchObject({ id: order.supplierId });
      expect(order.destination).toMatchObject({ id: destinationId });
      const lines = order.lines as Row[];
      expect(lines.map((line) => line.lineNo)).toEqual([1, 2, 3]);
      for (const line of lines) expect(line.product).toMatchObject({ id: line.productId });
    }
    const item = await counter.during(async () => {
      const read = await api.call('GET', `/purchase-orders/${orderIds[3]}?include=supplier,lines`);
      expect(read.body.supplier).toMatchObject({ code: 'S-C' });
      expect(read.body.lines).toHaveLength(3);
    });
    expect(item).toHaveLength(3);
    const tooDeep = await api.call('GET', '/purchase-orders?include=lines.product.supplier.x');
    expect(tooDeep.status).toBe(400);
  });

  it('keeps the contract: every response matches the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
