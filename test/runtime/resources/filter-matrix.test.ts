/**
 * Every filter operator on every field of every top-level list route, with a value of the
 * field's own type, answers 200, and a stored row is found by eq and in on each of its fields;
 * on both drivers, for the flagship and for a fixture with every scalar type. The random
 * bad-input suite rarely builds a valid value of the right kind for an operator; values like
 * these once found a 500 that only the PostgreSQL server gave (`active[in]=true,false`:
 * postgres.js typed the array of booleans by its first element).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entity, Field } from '../../../src/blueprint/model.js';
import { operatorsFor } from '../../../src/runtime/query/index.js';
import { createHarness, DRIVERS, type Harness } from './harness.js';

/** Two values of the field's type: the first is one the seeded rows hold where it can be. */
function valuesOf(field: Field, known: Readonly<Record<string, unknown>>): [string, string] {
  const held = known[field.property];
  const other = (value: string): [string, string] =>
    held === undefined || held === null ? [value, value] : [String(held), value];
  switch (field.kind) {
    case 'integer':
    case 'bigint':
      return other('7');
    case 'decimal':
      return other('1.25');
    case 'boolean':
      return other(held === true ? 'false' : 'true');
    case 'date':
      return other('2026-03-01');
    case 'datetime':
      return other('2026-03-01T12:00:00.000Z');
    case 'uuid':
    case 'reference':
      return other('0190a3c4-0000-7000-8000-000000000001');
    case 'enum': {
      const values = field.enum!.values;
      return other(values[values.length - 1]!);
    }
    case 'email':
      return other('fm@example.com');
    case 'url':
      return other('https://example.com/a?b=c');
    default:
      return other('Zz "quoted", \\ back');
  }
}

/** An in-list item, in double quotes where it holds a comma or a quote. */
function inItem(value: string): string {
  return /[,"]/.test(value) ? `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : value;
}

function queryFor(operator: string, [first, second]: [string, string]): string {
  switch (operator) {
    case 'in':
      return `${encodeURIComponent(inItem(first))},${encodeURIComponent(inItem(second))}`;
    case 'is':
      return 'notnull';
    case 'like':
    case 'ilike':
      return encodeURIComponent(`${first.slice(0, 2)}*`);
    case 'prefix':
      return encodeURIComponent(first.slice(0, 2));
    default:
      return encodeURIComponent(first);
  }
}

type Call = Harness['call'];

/** Rows for the filters to find: a few of the flagship's entities, and a team with every type. */
const SEEDS: Record<string, (call: Call) => Promise<unknown>> = {
  'examples/inventory': async (call) => {
    const location = await call('POST', '/locations', { body: { code: 'FM-1', name: 'Filters' } });
    const supplier = await call('POST', '/suppliers', {
      body: { code: 'FM-S', name: 'Filter supplier', leadTimeDays: 3, active: false },
    });
    const product = await call('POST', '/products', {
      body: { sku: 'FM-P', name: 'Filter product', reorderPoint: '2.5' },
    });
    const order = await call('POST', '/purchase-orders', {
      body: {
        number: 'FM-PO',
        supplierId: supplier.body.id,
        destinationId: location.body.id,
        expectedOn: '2026-03-01',
      },
    });
    for (const created of [location, supplier, product, order]) expect(created.status).toBe(201);
  },
  // the DDL coverage fixture: every scalar type, composite and identity keys
  'test/design/sql/fixtures/coverage': async (call) => {
    const team = await call('POST', '/teams', {
      body: {
        name: 'FM "team", \\ one',
        homepage: 'https://example.com/a?b=c',
        contact: 'fm@example.com',
        foundedOn: '2026-03-01',
        headcount: 7,
        budget: '1.25',
        active: false,
        externalRef: '0190a3c4-0000-7000-8000-0000000000aa',
        bigCount: 4294967296,
      },
    });
    expect(team.status, JSON.stringify(team.body)).toBe(201);
  },
};

describe.each(DRIVERS.flatMap((kind) => Object.keys(SEEDS).map((blueprint) => [kind, blueprint] as const)))(
  'every filter on %s, %s',
  (kind, blueprint) => {
    let api: Harness;
    /** A stored row of each entity that has a top-level list, for values the filters can match. */
    const rows = new Map<string, Record<string, unknown>>();

    beforeAll(async () => {
      api = await createHarness(kind, blueprint);
      await SEEDS[blueprint]!(api.call.bind(api));
      for (const entity of api.model.entities) {
        if (entity.collectionParams.length > 0) continue;
        const listed = await api.call('GET', `${entity.collectionPath}?limit=1`);
        if (listed.status === 200 && listed.body.data[0]) rows.set(entity.name, listed.body.data[0]);
      }
    });
    afterAll(async () => {
      await api?.close();
    });

    const listed = (entity: Entity) => entity.collectionParams.length === 0;

    it('answers 200 to each operator of each field with a value of its type', async () => {
      const failures: string[] = [];
      let sent = 0;
      for (const entity of api.model.entities.filter(listed)) {
        const known = rows.get(entity.name) ?? {};
        for (const field of entity.fields) {
          for (const operator of operatorsFor(field)) {
            const path = `${entity.collectionPath}?${field.property}[${operator}]=${queryFor(operator, valuesOf(field, known))}`;
            const reply = await api.call('GET', path);
            sent += 1;
            if (reply.status !== 200) failures.push(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
          }
        }
      }
      expect(failures).toEqual([]);
      // every entity with a list, every field that can be filtered, every operator it takes
      expect(sent).toBeGreaterThan(50);
    });

    it('finds the stored row by eq and by in on each of its fields', async () => {
      expect(rows.size).toBeGreaterThan(0);
      for (const [name, row] of rows) {
        const entity = api.model.entities.find((candidate) => candidate.name === name)!;
        const key = entity.key.columns.map(
          (column) => entity.fields.find((field) => field.column === column)!,
        );
        for (const field of entity.fields) {
          const value = row[field.property];
          if (value === null || value === undefined || !operatorsFor(field).includes('in')) continue;
          const values = valuesOf(field, row);
          for (const operator of ['eq', 'in'] as const) {
            const reply = await api.call(
              'GET',
              `${entity.collectionPath}?${field.property}[${operator}]=${queryFor(operator, values)}&limit=500`,
            );
            expect(reply.status, `${name}.${field.property}[${operator}]`).toBe(200);
            const keys = reply.body.data.map((found: Record<string, unknown>) =>
              key.map((part) => found[part.property]).join('/'),
            );
            expect(keys, `${name}.${field.property}[${operator}]`).toContain(
              key.map((part) => row[part.property]).join('/'),
            );
          }
        }
      }
    });

    it('keeps the contract: every response matches the OpenAPI document', () => {
      expect(api.violations).toEqual([]);
    });
  },
);
