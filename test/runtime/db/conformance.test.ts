/**
 * One body, two drivers: the values, row counts, transactions and scripts every runtime layer
 * relies on behave the same on PGlite and on a PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/runtime/db/index.js';
import { NO_SERVER_REASON } from '../../support/postgres.js';
import { DRIVER_CASES, type OpenedDriver } from './driver-cases.js';

for (const driverCase of DRIVER_CASES) {
  const title = driverCase.isAvailable
    ? driverCase.name
    : `${driverCase.name} (skipped: ${NO_SERVER_REASON})`;
  describe.skipIf(!driverCase.isAvailable)(`driver conformance: ${title}`, () => {
    let opened: OpenedDriver;
    let driver: Driver;

    beforeAll(async () => {
      opened = await driverCase.open();
      driver = opened.driver;
      await driver.exec(`
        CREATE TABLE things (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          name text NOT NULL UNIQUE,
          price numeric(18,4),
          big bigint,
          happened_at timestamptz,
          due_on date,
          payload jsonb,
          tags text[],
          ref uuid,
          flag boolean
        );
        CREATE TABLE counters (name text PRIMARY KEY, value integer NOT NULL);
        INSERT INTO counters VALUES ('a', 0);
      `);
    });
    afterAll(async () => {
      await opened?.dispose();
    });

    it('reports its kind', () => {
      expect(driver.kind).toBe(driverCase.name);
    });

    it('returns the documented JavaScript value for each type', async () => {
      const { rows } = await driver.query(
        `SELECT 7::int2 AS small, 42::int4 AS int, 42::int8 AS safe_big, 9007199254740993::int8 AS unsafe_big,
                1.5::float8 AS float, 12.5::numeric(18,4) AS decimal, 123456789012345678.1234::numeric AS exact,
                true AS yes, 'x'::text AS text, '2024-05-01'::date AS day,
                '2024-05-01 10:20:30.123456+02'::timestamptz AS micros,
                '2024-05-01 10:20:30+00'::timestamptz AS whole,
                '2024-05-01 10:20:30.5'::timestamp AS local,
                '{"a":[1,{"b":null}]}'::jsonb AS doc, '"s"'::json AS json_string,
                ARRAY['a','b,c','"q"']::text[] AS texts, ARRAY[1,2]::int4[] AS ints,
                ARRAY['2024-01-01 00:00:00+00']::timestamptz[] AS stamps,
                ARRAY['a', NULL, 'NULL', '']::text[] AS texts_with_null, ARRAY[NULL, 3]::int4[] AS ints_with_null,
                ARRAY[NULL, 9007199254740993]::int8[] AS bigs_with_null, ARRAY[[1, 2], [3, NULL]]::int4[] AS grid,
                '0190b3a2-8f3e-7c4d-9a1b-123456789abc'::uuid AS id, NULL::text AS nothing,
                count(*) AS counted FROM (VALUES (1), (2)) AS v(x)`,
      );
      expect(rows[0]).toEqual({
        small: 7,
        int: 42,
        safe_big: 42,
        unsafe_big: '9007199254740993',
        float: 1.5,
        decimal: '12.5000',
        exact: '123456789012345678.1234',
        yes: true,
        text: 'x',
        day: '2024-05-01',
        micros: '2024-05-01T08:20:30.123456Z',
        whole: '2024-05-01T10:20:30.000Z',
        local: '2024-05-01T10:20:30.500',
        doc: { a: [1, { b: null }] },
        json_string: 's',
        texts: ['a', 'b,c', '"q"'],
        ints: [1, 2],
        stamps: ['2024-01-01T00:00:00.000Z'],
        // A NULL element is null, the string 'NULL' is a string.
        texts_with_null: ['a', null, 'NULL', ''],
        ints_with_null: [null, 3],
        bigs_with_null: [null, '9007199254740993'],
        grid: [
          [1, 2],
          [3, null],
        ],
        id: '0190b3a2-8f3e-7c4d-9a1b-123456789abc',
        nothing: null,
        counted: 2,
      });
    });

    it('serializes parameters by their inferred type and round-trips them', async () => {
      const stamp = '2024-02-03T04:05:06.789012Z';
      const { rows } = await driver.query(
        `INSERT INTO things (name, price, big, happened_at, due_on, payload, tags, ref, flag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id, name, price, big, happened_at, due_on, payload, tags, ref, flag`,
        [
          'params',
          '0.0001',
          42,
          stamp,
          '2024-02-29',
          { nested: { list: [1, 'two'] } },
          ['x', 'y'],
          '0190b3a2-8f3e-7c4d-9a1b-123456789abc',
          false,
        ],
      );
      expect(rows[0]).toMatchObject({
        name: 'params',
        price: '0.0001',
        big: 42,
        happened_at: stamp,
        due_on: '2024-02-29',
        payload: { nested: { list: [1, 'two'] } },
        tags: ['x', 'y'],
        ref: '0190b3a2-8f3e-7c4d-9a1b-123456789abc',
        flag: false,
      });
      expect(typeof rows[0]?.id).toBe('number');
      // a Date parameter and a numeric given as a number are accepted too
      const more = await driver.query<{ happened_at: string; price: string }>(
        'SELECT $1::timestamptz AS happened_at, $2::numeric(18,4) AS price',
        [new Date('2024-01-01T00:00:00.000Z'), 2.5],
      );
      expect(more.rows[0]).toEqual({ happened_at: '2024-01-01T00:00:00.000Z', price: '2.5000' });
    });

    it('passes JSON parameters as JSON and arrays as PostgreSQL arrays', async () => {
      const { rows } = await driver.query<{ names: string[] }>(
        `SELECT array_agg(x.name ORDER BY x.name) AS names
           FROM jsonb_to_recordset($1::jsonb) AS x(name text) WHERE x.name = ANY($2)`,
        [
          [{ name: 'b' }, { name: 'a' }, { name: 'c' }],
          ['a', 'b'],
        ],
      );
      expect(rows[0]?.names).toEqual(['a', 'b']);
      const text = await driver.query<{ doc: unknown }>('SELECT $1::jsonb AS doc', ['{"already":"json"}']);
      expect(text.rows[0]?.doc).toEqual({ already: 'json' });
    });

    it('counts rows for every command', async () => {
      await driver.query(`INSERT INTO things (name) VALUES ('c1'), ('c2'), ('c3')`);
      expect((await driver.query(`UPDATE things SET flag = true WHERE name LIKE 'c%'`)).rowCount).toBe(3);
      expect((await driver.query(`SELECT * FROM things WHERE name LIKE 'c%'`)).rowCount).toBe(3);
      expect((await driver.query(`DELETE FROM things WHERE name IN ('c1', 'c2')`)).rowCount).toBe(2);
      expect((await driver.query(`UPDATE things SET flag = false WHERE name = 'none'`)).rowCount).toBe(0);
    });

    it('commits a transaction and returns its value', async () => {
      const id = await driver.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: number }>(
          `INSERT INTO things (name) VALUES ('tx') RETURNING id`,
        );
        return rows[0]!.id;
      });
      const { rows } = await driver.query('SELECT name FROM things WHERE id = $1', [id]);
      expect(rows).toEqual([{ name: 'tx' }]);
    });

    it('rolls back everything when the work throws, and rethrows the error', async () => {
      const failure = driver.transaction(async (tx) => {
        await tx.query(`INSERT INTO things (name) VALUES ('rolled-back')`);
        throw new Error('stop');
      });
      await expect(failure).rejects.toThrow('stop');
      const { rowCount } = await driver.query(`SELECT 1 FROM things WHERE name = 'rolled-back'`);
      expect(rowCount).toBe(0);
    });

    it('rethrows database errors with their SQLSTATE', async () => {
      await driver.query(`INSERT INTO things (name) VALUES ('dup')`);
      const error = await driver.query(`INSERT INTO things (name) VALUES ('dup')`).catch((caught) => caught);
      expect(error.code).toBe('23505');
    });

    it('recovers from a failed statement with a savepoint', async () => {
      await driver.transaction(async (tx) => {
        await tx.query('SAVEPOINT item');
        await expect(tx.query(`INSERT INTO things (name) VALUES ('dup')`)).rejects.toMatchObject({
          code: '23505',
        });
        await tx.query('ROLLBACK TO SAVEPOINT item');
        await tx.query(`INSERT INTO things (name) VALUES ('after-savepoint')`);
      });
      const { rowCount } = await driver.query(`SELECT 1 FROM things WHERE name = 'after-savepoint'`);
      expect(rowCount).toBe(1);
    });

    it('refuses to report success when a swallowed error aborted the transaction', async () => {
      const swallowed = driver.transaction(async (tx) => {
        await tx.query(`INSERT INTO things (name) VALUES ('swallowed')`);
        await tx.query(`INSERT INTO things (name) VALUES ('dup')`).catch(() => {});
      });
      await expect(swallowed).rejects.toMatchObject({ code: '25P02' });
      const { rowCount } = await driver.query(`SELECT 1 FROM things WHERE name = 'swallowed'`);
      expect(rowCount).toBe(0);
    });

    it('applies isolation and read-only options', async () => {
      const level = await driver.transaction(
        async (tx) =>
          (
            await tx.query<{ level: string }>('SELECT current_setting($1) AS level', [
              'transaction_isolation',
            ])
          ).rows[0]?.level,
        { isolation: 'serializable' },
      );
      expect(level).toBe('serializable');
      const readOnly = driver.transaction((tx) => tx.query(`INSERT INTO things (name) VALUES ('ro')`), {
        readOnly: true,
      });
      await expect(readOnly).rejects.toMatchObject({ code: '25006' });
    });

    it('runs multi-statement scripts, inside a transaction too', async () => {
      await driver.exec(`CREATE TABLE script_a (x int); INSERT INTO script_a VALUES (1), (2);`);
      await driver.transaction((tx) =>
        tx.exec(`INSERT INTO script_a VALUES (3); INSERT INTO script_a VALUES (4);`),
      );
      const { rows } = await driver.query<{ total: number }>('SELECT sum(x)::int4 AS total FROM script_a');
      expect(rows[0]?.total).toBe(10);
    });

    it('does not lose updates between concurrent transactions that lock what they change', async () => {
      await Promise.all(
        Array.from({ length: 8 }, () =>
          driver.transaction(async (tx) => {
            const { rows } = await tx.query<{ value: number }>(
              `SELECT value FROM counters WHERE name = 'a' FOR UPDATE`,
            );
            await tx.query(`UPDATE counters SET value = $1 WHERE name = 'a'`, [rows[0]!.value + 1]);
          }),
        ),
      );
      const { rows } = await driver.query<{ value: number }>(`SELECT value FROM counters WHERE name = 'a'`);
      expect(rows[0]?.value).toBe(8);
    });

    it('reports pool use', async () => {
      const stats = driver.stats();
      expect(stats.total).toBeGreaterThanOrEqual(1);
      expect(stats.idle).toBe(stats.total);
      expect(stats.waiting).toBe(0);
    });
  });
}
