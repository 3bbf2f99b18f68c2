/**
 * The INSERT from typed arrays that batched creates use where no audit or history row records
 * them (buildInsertRowsQuery): every scalar type, and text that an array literal must escape,
 * stored exactly as the single-row INSERT stores the same values; on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { emitSchemaSql } from '../../../src/design/sql/index.js';
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import {
  arrayLiteral,
  buildInsertQuery,
  buildInsertRowsQuery,
  createEntityPlans,
  type EntityPlan,
} from '../../../src/runtime/query/index.js';
import { createThrowawayDatabase, SERVER_URL, type ThrowawayDatabase } from '../../support/postgres.js';

const KINDS = SERVER_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

const AWKWARD_TEXT = [
  'plain',
  'a "quoted" word',
  'back\\slash and \\"both\\"',
  '{braces},commas',
  'NULL',
  '',
  '  spaces  ',
  'ünïcödé ✓ 𝄞',
  'new\nline\ttab',
];

describe('arrayLiteral', () => {
  it('quotes every element, escapes quotes and backslashes, and writes null as NULL', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a', null, 'NULL', 'x"y\\z', 1.5, true, undefined])).toBe(
      '{"a",NULL,"NULL","x\\"y\\\\z","1.5","true",NULL}',
    );
  });
});

describe.each(KINDS)('INSERT from typed arrays on %s', (kind) => {
  let model: Model;
  let driver: Driver;
  let database: ThrowawayDatabase | undefined;
  let teams: EntityPlan;

  beforeAll(async () => {
    model = await loadBlueprint('test/design/sql/fixtures/coverage/blueprint.yaml');
    if (kind === 'postgres') database = await createThrowawayDatabase('architect_insert_rows');
    driver = await createDriver(database ? { databaseUrl: database.url, poolSize: 2 } : { memory: true });
    await driver.exec(emitSchemaSql(model));
    teams = createEntityPlans(model).get('team')!;
  });
  afterAll(async () => {
    await driver?.close();
    await database?.drop();
  });

  /** What the table holds for a row, without what differs between two inserts of it. */
  const stored = async (id: string) => {
    const { rows } = await driver.query<{ row: Record<string, unknown> }>(
      'SELECT to_jsonb(t) - ARRAY[$2, $3, $4, $5, $6, $7] AS row FROM teams t WHERE id = $1',
      [id, 'id', 'name', 'search_vector', 'external_ref', 'created_at', 'updated_at'],
    );
    return rows[0]?.row;
  };

  it('stores every scalar type and escaped text as the single-row INSERT does', async () => {
    const items = AWKWARD_TEXT.map((text, index) => ({
      homepage: `https://example.com/${encodeURIComponent(text)}`,
      contact: index % 2 === 0 ? `team${index}@example.com` : null,
      foundedOn: '2024-02-29',
      settings: { text, nested: [1, 'two', { three: null }], quote: '"' },
      headcount: index,
      budget: index % 3 === 0 ? null : '1234.5',
      active: index % 2 === 0,
      shade: 'light',
      bigCount: '9007199254740993',
      label: text,
    }));
    // name and externalRef are unique: each insert of an item gets its own
    const withName = (name: string, item: (typeof items)[number], ref: number) => {
      const { label, ...rest } = item;
      const externalRef = ref % 2 === 0 ? `0192d7a0-0000-7000-8000-${String(ref).padStart(12, '0')}` : null;
      return { name: `${name}${label}`, ...rest, externalRef };
    };
    const batchItems = items.map((item, index) => ({
      key: teams.newKey!(),
      item: withName(`rows ${index} `, item, index),
    }));
    const insert = buildInsertRowsQuery(teams, batchItems, Object.keys(batchItems[0]!.item), []);
    const { rows } = await driver.query<Record<string, unknown>>(insert.text, insert.values);
    // One row per item, with its key, in whole (as the single-row INSERT returns it).
    expect(rows.map((row) => row.id)).toEqual(batchItems.map(({ key }) => key));
    expect(rows.map((row) => [row.name, row.externalRef])).toEqual(
      batchItems.map(({ item }) => [item.name, item.externalRef]),
    );
    for (const [index, item] of items.entries()) {
      const single = buildInsertQuery(teams, withName(`single ${index} `, item, index + 100), []);
      const one = (await driver.query<Record<string, unknown>>(single.text, single.values)).rows[0]!;
      const fromRows = await stored(batchItems[index]!.key);
      expect(fromRows).toEqual(await stored(String(one.id)));
      expect(fromRows).toMatchObject({ settings: item.settings, headcount: index, active: item.active });
    }
  });

  it('leaves out an item whose unique value is taken and writes the others', async () => {
    const item = (name: string) => ({ key: teams.newKey!(), item: { name } });
    const insert = buildInsertRowsQuery(teams, [item('Taken A'), item('Taken B')], ['name'], []);
    await driver.query(insert.text, insert.values);
    const again = [item('Taken B'), item('Fresh C')];
    const retry = buildInsertRowsQuery(teams, again, ['name'], []);
    const { rows } = await driver.query<Record<string, unknown>>(retry.text, retry.values);
    expect(rows.map((row) => row.id)).toEqual([again[1]!.key]);
    expect(await stored(again[0]!.key)).toBeUndefined();
  });

  it('fills the columns the items leave out with their defaults', async () => {
    const insert = buildInsertRowsQuery(
      teams,
      [{ key: teams.newKey!(), item: { name: 'Defaults' } }],
      ['name'],
      [],
    );
    const [row] = (await driver.query<Record<string, unknown>>(insert.text, insert.values)).rows;
    expect(row).toMatchObject({ name: 'Defaults', headcount: 0, active: true, shade: 'light', version: 1 });
  });
});
