/**
 * Statements on embedded PostgreSQL run prepared (parsed and described once, then bound and
 * executed in one call): what comes back must be what an unprepared statement gives, through
 * DDL, dropped statements, a full statement cache, errors and rolled-back transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Driver, readDatabaseError } from '../../../src/runtime/db/index.js';
import { createPgliteDriver } from '../../../src/runtime/db/pglite-driver.js';

describe('prepared statements on PGlite', () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = await createPgliteDriver({});
    await driver.exec(`
      CREATE TABLE items (id int PRIMARY KEY, code text UNIQUE NOT NULL, price numeric(10, 2), seen timestamptz,
        tags text[], extra jsonb, CHECK (price >= 0));
    `);
  });
  afterAll(async () => {
    await driver.close();
  });

  it('binds and parses each type the way an unprepared statement does, run after run', async () => {
    const insert =
      'INSERT INTO items (id, code, price, seen, tags, extra) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *';
    const first = await driver.query(insert, [
      1,
      'A',
      '12.50',
      '2024-05-01T10:20:30.123Z',
      ['x', 'y,z'],
      { nested: [1, 'two'] },
    ]);
    const second = await driver.query(insert, [2, 'B', null, null, null, null]);
    expect(first.rows).toEqual([
      {
        id: 1,
        code: 'A',
        price: '12.50',
        seen: '2024-05-01T10:20:30.123Z',
        tags: ['x', 'y,z'],
        extra: { nested: [1, 'two'] },
      },
    ]);
    expect(second.rows).toEqual([{ id: 2, code: 'B', price: null, seen: null, tags: null, extra: null }]);
    expect(first.rowCount).toBe(1);
    const read = await driver.query('SELECT id FROM items WHERE id = ANY($1::int[]) ORDER BY id', [
      [1, 2, 3],
    ]);
    expect(read.rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(read.rowCount).toBe(2);
    const update = await driver.query('UPDATE items SET price = $1 WHERE id = ANY($2::int[])', ['1', [1, 2]]);
    expect(update).toEqual({ rows: [], rowCount: 2 });
  });

  it('reads a result larger than the backend hands over at once, whole and in order', async () => {
    // ~2.4 MB of rows: the output streams out in many chunks, and rows straddle their edges
    const { rows } = await driver.query<{ n: number; text: string }>(
      'SELECT n, repeat(chr(945 + n % 20), 300 + n % 7) || n AS text FROM generate_series(1, 4000) AS n',
      [],
    );
    expect(rows).toHaveLength(4000);
    rows.forEach((row, index) => {
      const n = index + 1;
      expect(row).toEqual({ n, text: String.fromCharCode(945 + (n % 20)).repeat(300 + (n % 7)) + n });
    });
  });

  it('gives the rows their new shape after the table changes under a prepared statement', async () => {
    const select = 'SELECT * FROM items WHERE id = $1';
    expect(Object.keys((await driver.query(select, [1])).rows[0]!)).not.toContain('note');
    await driver.exec(`ALTER TABLE items ADD COLUMN note text DEFAULT 'n'`);
    expect((await driver.query(select, [1])).rows[0]).toMatchObject({ id: 1, note: 'n' });
    await driver.exec('ALTER TABLE items ALTER COLUMN note DROP DEFAULT, ALTER COLUMN note TYPE int USING 7');
    expect((await driver.query(select, [1])).rows[0]).toMatchObject({ id: 1, note: 7 });
  });

  it('prepares again a statement the session dropped', async () => {
    const count = 'SELECT count(*)::int AS n FROM items WHERE id > $1';
    expect((await driver.query(count, [0])).rows).toEqual([{ n: 2 }]);
    await driver.exec('DEALLOCATE ALL');
    expect((await driver.query(count, [0])).rows).toEqual([{ n: 2 }]);
  });

  it('runs any number of statement texts: beyond the cache, the least recently used are closed', async () => {
    const texts = Array.from({ length: 620 }, (_, index) => `SELECT $1::int + ${index} AS n`);
    for (const [index, text] of texts.entries()) {
      expect((await driver.query(text, [1])).rows).toEqual([{ n: index + 1 }]);
    }
    // the first ones were closed to make room, and prepare again
    expect((await driver.query(texts[0]!, [5])).rows).toEqual([{ n: 5 }]);
    const prepared = await driver.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'architect_%'",
    );
    expect(prepared.rows[0]!.n).toBeLessThanOrEqual(500);
  });

  it('refuses what PostgreSQL refuses, with the fields the error translation reads', async () => {
    const insert = 'INSERT INTO items (id, code, price) VALUES ($1, $2, $3)';
    const taken = await driver.query(insert, [3, 'A', '1']).catch((error: unknown) => error);
    expect(readDatabaseError(taken)).toMatchObject({
      code: '23505',
      constraint: 'items_code_key',
      table: 'items',
      detail: 'Key (code)=(A) already exists.',
    });
    const negative = await driver.query(insert, [3, 'C', '-1']).catch((error: unknown) => error);
    expect(readDatabaseError(negative)).toMatchObject({ code: '23514', constraint: 'items_price_check' });
    const notANumber = await driver.query(insert, [3, 'C', 'abc']).catch((error: unknown) => error);
    expect(readDatabaseError(notANumber)?.code).toBe('22P02');
    const tooMany = await driver.query('SELECT $1::int AS n', [1, 2]).catch((error: unknown) => error);
    expect(readDatabaseError(tooMany)?.code).toBe('08P01');
    const syntax = await driver.query('SELEC 1').catch((error: unknown) => error);
    expect(readDatabaseError(syntax)?.code).toBe('42601');
    // and the session goes on
    expect((await driver.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([{ n: 2 }]);
  });

  it('keeps a transaction whole: its statements commit together or roll back together', async () => {
    const insert = 'INSERT INTO items (id, code) VALUES ($1, $2)';
    await expect(
      driver.transaction(async (tx) => {
        await tx.query(insert, [10, 'T1']);
        await tx.query(insert, [11, 'A']); // taken
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await driver.query('SELECT id FROM items WHERE id >= 10')).rows).toEqual([]);
    await driver.transaction(async (tx) => {
      await tx.query(insert, [10, 'T1']);
      await tx.query(insert, [11, 'T2']);
    });
    expect((await driver.query('SELECT id FROM items WHERE id >= 10 ORDER BY id')).rows).toEqual([
      { id: 10 },
      { id: 11 },
    ]);
  });
});
