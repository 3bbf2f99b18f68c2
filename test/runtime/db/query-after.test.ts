/**
 * `Driver.queryAfter` on the server: a statement after a setup script (the tenant wall's
 * `SET LOCAL`s) in a transaction of its own, sent as `<setup>; EXECUTE name('literal', ...)`.
 * The literals must read back exactly as the values they carry, the setup must end with the
 * statement, and whatever cannot go that way (arrays, dates, a statement the server will not
 * prepare) must still work, the slow way.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import { NamedStatements, retryVerdict } from '../../../src/runtime/db/named-statements.js';
import { literalArguments, sqlLiteral } from '../../../src/runtime/db/sql-literal.js';
import {
  createThrowawayDatabase,
  NO_SERVER_REASON,
  SERVER_URL,
  type ThrowawayDatabase,
} from '../../support/postgres.js';

const NASTY = [
  '',
  "it's",
  "''",
  'back\\slash',
  "\\'; DROP TABLE things; --",
  "x' OR '1'='1",
  "E'\\x41'",
  '$1 $$ $tag$',
  'line\nbreak\ttab\r',
  'naïve 🚀 字',
  '\\\\',
  "'\\",
];

describe('sqlLiteral', () => {
  it('quotes every value, and writes a backslash only inside an E literal', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteral(42)).toBe("'42'");
    expect(sqlLiteral(-1.5)).toBe("'-1.5'");
    expect(sqlLiteral(9007199254740993n)).toBe("'9007199254740993'");
    expect(sqlLiteral(true)).toBe("'t'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(['a', 'b"c', null, 2, true])).toBe(String.raw` E'{"a","b\\"c",NULL,"2","t"}'`);
    expect(literalArguments([])).toBe('');
    expect(literalArguments(['a', 1, null])).toBe("('a', '1', NULL)");
  });

  it('refuses values a literal here may not carry, so they go as parameters', () => {
    for (const value of [
      [['a']],
      [{}],
      { a: 1 },
      new Date(0),
      new Uint8Array(1),
      undefined,
      Number.NaN,
      Infinity,
      'a\0b',
    ]) {
      expect(sqlLiteral(value), String(value)).toBeUndefined();
      expect(literalArguments(['fine', value])).toBeUndefined();
    }
  });

  it('reads back as the same text on PGlite', async () => {
    const driver = await createDriver({ memory: true });
    try {
      for (const text of NASTY) {
        const { rows } = await driver.query<{ v: string }>(`SELECT ${sqlLiteral(text)}::text AS v`);
        expect(rows[0]!.v).toBe(text);
      }
      const { rows } = await driver.query<{ v: (string | null)[] }>(
        `SELECT ${sqlLiteral([...NASTY, null])}::text[] AS v`,
      );
      expect(rows[0]!.v).toEqual([...NASTY, null]);
    } finally {
      await driver.close();
    }
  });

  describe.skipIf(!SERVER_URL)(
    `on a PostgreSQL server${SERVER_URL ? '' : ` (skipped: ${NO_SERVER_REASON})`}`,
    () => {
      it('reads back as the same text whatever standard_conforming_strings says', async () => {
        const sql = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
        try {
          for (const conforming of ['on', 'off']) {
            await sql.unsafe(`SET standard_conforming_strings = ${conforming}`);
            for (const text of NASTY) {
              const [row] = await sql.unsafe(`SELECT ${sqlLiteral(text)}::text AS v`);
              expect(row!.v, `${conforming}: ${JSON.stringify(text)}`).toBe(text);
            }
            // As JSON, so that the client's array parser is not what is tested.
            const [row] = await sql.unsafe(
              `SELECT to_json(${sqlLiteral([...NASTY, null])}::text[])::text AS v`,
            );
            expect(JSON.parse(row!.v)).toEqual([...NASTY, null]);
          }
        } finally {
          await sql.end();
        }
      });
    },
  );
});

describe('named statements', () => {
  const missing = (name: string) =>
    Object.assign(new Error(`prepared statement "${name}" does not exist`), { code: '26000' });
  const failure = (code: string, routine?: string) => Object.assign(new Error(code), { code, routine });

  it('names each text once, and stops naming a refused text or, once disabled, any', () => {
    const named = new NamedStatements();
    expect(named.nameFor('SELECT 1')).toBe('architect_wall_1');
    expect(named.nameFor('SELECT 2')).toBe('architect_wall_2');
    expect(named.nameFor('SELECT 1')).toBe('architect_wall_1');
    named.refuse('SELECT 1');
    expect(named.nameFor('SELECT 1')).toBeUndefined();
    named.disable();
    expect(named.nameFor('SELECT 2')).toBeUndefined();
    expect(named.nameFor('SELECT 3')).toBeUndefined();
  });

  it('judges the retry after a miss', () => {
    const name = 'architect_wall_3';
    const unique = failure('23505');
    // The statement's own error is the answer, whatever PREPARE said.
    expect(retryVerdict(name, undefined, unique)).toEqual({ error: unique });
    // Prepared (or held already) on this connection, and still missing at the next message: a
    // pooler moves the session between messages, so nothing gets a name any more.
    expect(retryVerdict(name, undefined, missing(name))).toEqual({ slow: 'driver' });
    expect(retryVerdict(name, failure('42P05'), missing(name))).toEqual({ slow: 'driver' });
    // The server would not prepare this text: it alone goes the slow way.
    expect(retryVerdict(name, failure('42P18'), missing(name))).toEqual({ slow: 'text' });
    expect(retryVerdict(name, undefined, failure('0A000', 'RevalidateCachedQuery'))).toEqual({
      slow: 'text',
    });
    // Anything else that stopped PREPARE (the connection went away, say) is the answer.
    const gone = failure('57P01');
    expect(retryVerdict(name, gone, missing(name))).toEqual({ error: gone });
    // Another statement's missing name is not this one's.
    const other = missing('architect_wall_4');
    expect(retryVerdict(name, undefined, other)).toEqual({ error: other });
  });
});

describe.skipIf(!SERVER_URL)(
  `queryAfter on a PostgreSQL server${SERVER_URL ? '' : ` (skipped: ${NO_SERVER_REASON})`}`,
  () => {
    let database: ThrowawayDatabase;
    let driver: Driver;
    const SETUP = "SET LOCAL architect.marker = 'on'";

    beforeAll(async () => {
      database = await createThrowawayDatabase('architect_after');
      driver = await createDriver({ databaseUrl: database.url, poolSize: 4 });
      await driver.exec(`
      CREATE TABLE things (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE,
                           price numeric(18,4), happened_at timestamptz, flag boolean);
      INSERT INTO things (name, price, happened_at, flag) VALUES
        ('bolt', 1.25, '2024-05-01 10:00:00+00', true), ('nut', 0.5, NULL, false);
    `);
    });
    afterAll(async () => {
      await driver?.close();
      await database?.drop();
    });

    const after = <T = Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
      driver.queryAfter!<T>(SETUP, text, params);

    it('runs the statement with the setup in force, on every connection, as a named prepared statement', async () => {
      // More at once than the pool holds: some land on connections that have not prepared it yet.
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          after<{ marker: string; echo: string }>(
            "SELECT current_setting('architect.marker', true) AS marker, $1::text AS echo",
            [`value ${i} '`],
          ),
        ),
      );
      answers.forEach((answer, i) => {
        expect(answer.rows).toEqual([{ marker: 'on', echo: `value ${i} '` }]);
      });
      // A statement that finds itself among the connection's prepared statements, by name.
      const { rows } = await after<{ name: string }>(
        "SELECT name FROM pg_prepared_statements WHERE statement LIKE '%' || 'itself-7c1e' || '%' /* itself-7c1e */",
      );
      expect(rows).toEqual([{ name: expect.stringMatching(/^architect_wall_\d+$/) }]);
    });

    it('ends the setup with the statement: the next statement on any connection does not see it', async () => {
      await Promise.all(Array.from({ length: 8 }, () => after('SELECT 1')));
      const plain = await Promise.all(
        Array.from({ length: 8 }, () =>
          driver.query<{ marker: string | null }>(
            "SELECT current_setting('architect.marker', true) AS marker",
          ),
        ),
      );
      for (const { rows } of plain) expect(rows[0]!.marker ?? '').toBe('');
    });

    it('gives the same rows and counts as a plain query', async () => {
      const text = 'SELECT * FROM things WHERE name = $1 OR price < $2 ORDER BY id';
      const params = ['bolt', 0.75];
      expect(await after(text, params)).toEqual(await driver.query(text, params));
      expect(await after('SELECT * FROM things WHERE name = $1', ['none'])).toEqual({
        rows: [],
        rowCount: 0,
      });
      const updated = await after<{ price: string }>(
        'UPDATE things SET price = price + $2 WHERE name = $1 RETURNING price',
        ['nut', 1],
      );
      expect(updated).toEqual({ rows: [{ price: '1.5000' }], rowCount: 1 });
      expect((await driver.query('SELECT price FROM things WHERE name = $1', ['nut'])).rows).toEqual([
        { price: '1.5000' },
      ]);
    });

    it("reports the statement's own error with its SQLSTATE, and leaves nothing applied", async () => {
      const failing = after('INSERT INTO things (name) VALUES ($1), ($2)', ['washer', 'bolt']);
      await expect(failing).rejects.toMatchObject({ code: '23505', constraint_name: 'things_name_key' });
      expect(
        (await driver.query('SELECT count(*)::int AS n FROM things WHERE name = $1', ['washer'])).rows,
      ).toEqual([{ n: 0 }]);
    });

    it('carries arrays of scalars as array literals typed by their place', async () => {
      const byName = await after<{ name: string }>(
        'SELECT name FROM things WHERE name = ANY($1) ORDER BY name',
        [['bolt', 'nut', 'o\'dd \\ "name"']],
      );
      expect(byName.rows).toEqual([{ name: 'bolt' }, { name: 'nut' }]);
      const byId = await after<{ name: string }>('SELECT name FROM things WHERE id = ANY($1) ORDER BY id', [
        [1, 2],
      ]);
      expect(byId.rows).toEqual([{ name: 'bolt' }, { name: 'nut' }]);
    });

    it('sends what a literal cannot carry as parameters, and still answers', async () => {
      const byDate = await after<{ name: string }>('SELECT name FROM things WHERE happened_at < $1', [
        new Date('2025-01-01T00:00:00Z'),
      ]);
      expect(byDate.rows).toEqual([{ name: 'bolt' }]);
    });

    it('transactionAfter: runs the work after the setup in one transaction, which the setting ends with', async () => {
      const marker = await driver.transactionAfter!(SETUP, async (tx) => {
        await tx.query('INSERT INTO things (name) VALUES ($1)', ['kept']);
        const { rows } = await tx.query<{ marker: string }>(
          "SELECT current_setting('architect.marker', true) AS marker",
        );
        return rows[0]!.marker;
      });
      expect(marker).toBe('on');
      const failing = driver.transactionAfter!(SETUP, async (tx) => {
        await tx.query('INSERT INTO things (name) VALUES ($1)', ['dropped']);
        throw new Error('work failed');
      });
      await expect(failing).rejects.toThrow('work failed');
      const { rows } = await driver.query<{ name: string }>(
        'SELECT name FROM things WHERE name = ANY($1) ORDER BY name',
        [['kept', 'dropped']],
      );
      expect(rows).toEqual([{ name: 'kept' }]);
      const after = await Promise.all(
        Array.from({ length: 6 }, () =>
          driver.query<{ marker: string | null }>(
            "SELECT current_setting('architect.marker', true) AS marker",
          ),
        ),
      );
      for (const {
        rows: [row],
      } of after)
        expect(row!.marker ?? '').toBe('');
    });

    it('survives a table that changes shape under a prepared SELECT *', async () => {
      await driver.exec('CREATE TABLE shapes (id int PRIMARY KEY); INSERT INTO shapes VALUES (1)');
      // Prepared on every connection of the pool.
      await Promise.all(Array.from({ length: 12 }, () => after('SELECT * FROM shapes WHERE id = $1', [1])));
      await driver.exec("ALTER TABLE shapes ADD COLUMN label text NOT NULL DEFAULT 'new'");
      for (let i = 0; i < 6; i++) {
        expect((await after('SELECT * FROM shapes WHERE id = $1', [1])).rows).toEqual([
          { id: 1, label: 'new' },
        ]);
      }
    });

    it('falls back when the server cannot prepare the statement without the value types', async () => {
      // PREPARE cannot type `$1` here; the protocol path sends the boolean's own type.
      for (let i = 0; i < 3; i++) {
        const { rows } = await after<{ empty: boolean; marker: string }>(
          "SELECT $1 IS NULL AS empty, current_setting('architect.marker', true) AS marker",
          [true],
        );
        expect(rows).toEqual([{ empty: false, marker: 'on' }]);
      }
    });
  },
);
