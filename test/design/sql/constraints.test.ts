/**
 * Every constraint the schema declares really enforces, proven row by row on a real database:
 * for each check a row breaking it (23514 naming the constraint), for each unique index and key
 * a duplicate (23505), for each foreign key a dangling reference (23503) and the declared ON
 * DELETE behaviour, for each NOT NULL column a NULL (23502). Cases are generated from the model
 * of every example blueprint, so a new template is covered without new test code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Entity, getEntity, type Model } from '../../../src/blueprint/index.js';
import { APPEND_ONLY_SQLSTATE, emitSchemaSql, historyKeyColumns } from '../../../src/design/sql/index.js';
import { quoteIdentifier } from '../../../src/sql/identifiers.js';
import { DRIVERS, type Row, resetSchema, sqlError, type TestDatabase } from './support/databases.js';
import { loadTestModels } from './support/models.js';
import { insertableFields, RowFactory } from './support/rows.js';

const models = await loadTestModels();

/** A key that no row has: the next identity values are far below it. */
const missingKey = (entity: Entity) => (entity.key.kind === 'bigint' ? '900000000000' : crypto.randomUUID());

function keyWhere(entity: Entity, row: Row): { where: string; params: unknown[] } {
  return {
    where: entity.key.columns
      .map((column, position) => `${quoteIdentifier(column)} = $${position + 1}`)
      .join(' AND '),
    params: entity.key.columns.map((column) => row[column]),
  };
}

for (const driver of DRIVERS) {
  describe.skipIf(driver.skipReason !== undefined)(
    `constraints enforce on ${driver.name}${driver.skipReason ? ` (skipped: ${driver.skipReason})` : ''}`,
    () => {
      let db: TestDatabase;
      let rows: RowFactory;
      beforeAll(async () => {
        db = await driver.open();
      });
      afterAll(async () => db?.close());

      for (const { label, model } of models) {
        describe(label, () => {
          beforeAll(async () => {
            await resetSchema(db);
            await db.exec(emitSchemaSql(model));
            rows = new RowFactory(model, db);
          });

          for (const entity of model.entities) defineEntityCases(model, entity, () => ({ db, rows }));
          for (const entity of model.entities.filter((candidate) => candidate.lifecycle?.historyTable)) {
            defineHistoryCases(entity, () => ({ db, rows }));
          }
        });
      }
    },
  );
}

function defineEntityCases(
  model: Model,
  entity: Entity,
  context: () => { db: TestDatabase; rows: RowFactory },
) {
  describe(entity.table, () => {
    it('accepts a valid row with version 1', async () => {
      const { rows } = context();
      const row = await rows.insertValid(entity);
      expect(Number(row.version)).toBe(1);
    });

    for (const check of entity.checks) {
      it(`check ${check.constraint} refuses a breaking row (23514)`, async () => {
        const { rows } = context();
        const base = await rows.validValues(entity);
        const breaking = await rows.violating(entity, base, check.constraint);
        expect(breaking, `no row found that breaks ${check.constraint} (${check.sql})`).toBeDefined();
        const error = await rows.tryInsert(entity, breaking!);
        expect(error).toMatchObject({ code: '23514', constraint: check.constraint });
      });
    }

    const notNull = insertableFields(entity).filter((field) => !field.nullable);
    for (const field of notNull) {
      it(`column ${field.column} refuses NULL (23502)`, async () => {
        const { rows } = context();
        const base = await rows.validValues(entity);
        const error = await rows.tryInsert(entity, { ...base, [field.column]: null });
        expect(error).toMatchObject({ code: '23502', column: field.column });
      });
    }

    // A unique over the key plus more columns (the (tenant, id) target of composite tenant
    // foreign keys) can never be the one a duplicate breaks: the primary key objects first.
    const coversKey = (columns: readonly string[]) =>
      entity.key.columns.every((column) => columns.includes(column));
    const uniqueIndexes = entity.indexes.filter((index) => index.unique && !coversKey(index.columns));
    const keyIsSettable = entity.key.kind !== 'bigint';
    const uniqueCases = [
      ...uniqueIndexes.map((index) => ({ name: index.name, columns: index.columns })),
      ...(keyIsSettable ? [{ name: entity.key.constraint, columns: entity.key.columns }] : []),
    ];
    for (const unique of uniqueCases) {
      it(`unique ${unique.name} refuses a duplicate (23505)`, async () => {
        const { rows } = context();
        const fill = new Set(unique.columns);
        const first = await rows.insert(entity, await rows.validValues(entity, fill));
        const second = await rows.validValues(entity, fill);
        for (const column of unique.columns) second[column] = first[column];
        const error = await rows.tryInsert(entity, second);
        expect(error).toMatchObject({ code: '23505', constraint: unique.name });
      });
    }

    for (const index of uniqueIndexes.filter((candidate) => candidate.where === 'deleted_at IS NULL')) {
      it(`unique ${index.name} frees its value once the row is soft-deleted`, async () => {
        const { db, rows } = context();
        const fill = new Set(index.columns);
        const first = await rows.insert(entity, await rows.validValues(entity, fill));
        const { where, params } = keyWhere(entity, first);
        await db.query(
          `UPDATE ${quoteIdentifier(entity.table)} SET deleted_at = now() WHERE ${where}`,
          params,
        );
        const second = await rows.validValues(entity, fill);
        for (const column of index.columns) second[column] = first[column];
        expect(await rows.tryInsert(entity, second)).toBeUndefined();
      });
    }

    for (const field of entity.fields.filter((candidate) => candidate.reference)) {
      const reference = field.reference!;
      const target = getEntity(model, reference.entity);
      it(`foreign key ${reference.constraint} refuses a missing ${reference.table} row (23503)`, async () => {
        const { rows } = context();
        const base = await rows.validValues(entity, new Set([field.column]));
        const error = await rows.tryInsert(entity, { ...base, [field.column]: missingKey(target) });
        expect(error).toMatchObject({ code: '23503', constraint: reference.constraint });
      });

      it(`foreign key ${reference.constraint} applies ON DELETE ${reference.onDelete}`, async () => {
        const { db, rows } = context();
        const child = await rows.insertValid(entity, {});
        const withParent =
          child[field.column] ?? (await attachParent(db, rows, entity, child, field.column, target));
        const deleteParent = sqlError(
          db.query(
            `DELETE FROM ${quoteIdentifier(reference.table)} WHERE ${quoteIdentifier(reference.column)} = $1`,
            [withParent],
          ),
        );
        const { where, params } = keyWhere(entity, child);
        const remaining = () =>
          db.query(
            `SELECT ${quoteIdentifier(field.column)} AS value FROM ${quoteIdentifier(entity.table)} WHERE ${where}`,
            params,
          );
        const error = await deleteParent;
        if (target.appendOnly) {
          expect(error).toMatchObject({ code: APPEND_ONLY_SQLSTATE });
        } else if (reference.onDelete === 'no_action') {
          expect(error).toMatchObject({ code: '23503', constraint: reference.constraint });
        } else if (reference.onDelete === 'restrict') {
          // PostgreSQL 18 reports RESTRICT as 23001 restrict_violation; 15-17 as 23503.
          expect(error).toMatchObject({ constraint: reference.constraint });
          expect(['23503', '23001']).toContain(error?.code);
        } else if (entity.appendOnly) {
          // The cascade would change a ledger row: the append-only trigger refuses it.
          expect(error).toMatchObject({ code: APPEND_ONLY_SQLSTATE });
        } else if (reference.onDelete === 'cascade') {
          expect(error).toBeUndefined();
          expect(await remaining()).toEqual([]);
        } else {
          expect(error).toBeUndefined();
          expect(await remaining()).toEqual([{ value: null }]);
        }
      });
    }

    if (entity.appendOnly) {
      it(`refuses UPDATE, DELETE and TRUNCATE (${APPEND_ONLY_SQLSTATE})`, async () => {
        const { db, rows } = context();
        const row = await rows.insertValid(entity);
        const { where, params } = keyWhere(entity, row);
        const table = quoteIdentifier(entity.table);
        const update = await sqlError(
          db.query(`UPDATE ${table} SET version = version WHERE ${where}`, params),
        );
        const remove = await sqlError(db.query(`DELETE FROM ${table} WHERE ${where}`, params));
        const truncate = await sqlError(db.query(`TRUNCATE ${table}`));
        for (const error of [update, remove, truncate]) {
          expect(error).toMatchObject({ code: APPEND_ONLY_SQLSTATE, table: entity.table });
        }
        expect(await db.query(`SELECT 1 FROM ${table} WHERE ${where}`, params)).toHaveLength(1);
      });
    } else {
      it('bumps version by one and moves updated_at on every UPDATE', async () => {
        const { db, rows } = context();
        const row = await rows.insertValid(entity, {});
        const { where, params } = keyWhere(entity, row);
        const table = quoteIdentifier(entity.table);
        const past = '2000-01-01T00:00:00Z';
        // The runtime may write `version = version + 1`: the trigger still moves it by exactly one.
        const [after] = await db.query(
          `UPDATE ${table} SET updated_at = '${past}', version = version + 1 WHERE ${where} RETURNING version, updated_at > '${past}'::timestamptz AS moved`,
          params,
        );
        expect({ version: Number(after!.version), moved: after!.moved }).toEqual({ version: 2, moved: true });
      });
    }
  });
}

/** For an optional reference left NULL by the factory: point it at a new target row. */
async function attachParent(
  db: TestDatabase,
  rows: RowFactory,
  entity: Entity,
  child: Row,
  column: string,
  target: Entity,
): Promise<unknown> {
  const parent = await rows.insertValid(target);
  const value = parent[entity.fields.find((field) => field.column === column)!.reference!.column];
  const { where, params } = keyWhere(entity, child);
  await db.query(
    `UPDATE ${quoteIdentifier(entity.table)} SET ${quoteIdentifier(column)} = $${params.length + 1} WHERE ${where}`,
    [...params, value],
  );
  return value;
}

/** The status history table of a lifecycle: valid states only, rows fixed, gone with their entity. */
function defineHistoryCases(entity: Entity, context: () => { db: TestDatabase; rows: RowFactory }) {
  const lifecycle = entity.lifecycle!;
  const table = quoteIdentifier(lifecycle.historyTable!);
  const keys = historyKeyColumns(entity);
  const insertHistory = (db: TestDatabase, row: Row, toState: string) =>
    db.query(
      `INSERT INTO ${table} (${keys.map((key) => quoteIdentifier(key.column)).join(', ')}, from_state, to_state, transition)
       VALUES (${keys.map((_, position) => `$${position + 1}`).join(', ')}, $${keys.length + 1}, $${keys.length + 2}, 'test')
       RETURNING id`,
      [...keys.map((key) => row[key.key]), lifecycle.initial, toState],
    );

  describe(lifecycle.historyTable!, () => {
    it('records a transition between declared states and refuses others (23514)', async () => {
      const { db, rows } = context();
      const row = await rows.insertValid(entity);
      const target = lifecycle.states.at(-1)!;
      expect(await sqlError(insertHistory(db, row, target))).toBeUndefined();
      expect(await sqlError(insertHistory(db, row, 'no_such_state'))).toMatchObject({
        code: '23514',
        constraint: `${lifecycle.historyTable}_to_state_enum`,
      });
    });

    it(`refuses a row for a missing ${entity.table} row (23503)`, async () => {
      const { db, rows } = context();
      const row = await rows.insertValid(entity);
      const missing = { ...row };
      const last = keys.at(-1)!;
      missing[last.key] = last.sqlType === 'bigint' ? '900000000000' : crypto.randomUUID();
      expect(await sqlError(insertHistory(db, missing, lifecycle.initial))).toMatchObject({ code: '23503' });
    });

    it(`refuses UPDATE (${APPEND_ONLY_SQLSTATE}) and goes away with its ${entity.name}`, async () => {
      const { db, rows } = context();
      const row = await rows.insertValid(entity);
      const [history] = await insertHistory(db, row, lifecycle.initial);
      const update = await sqlError(
        db.query(`UPDATE ${table} SET reason = 'edited' WHERE id = $1`, [history!.id]),
      );
      expect(update).toMatchObject({ code: APPEND_ONLY_SQLSTATE });
      const { where, params } = keyWhere(entity, row);
      const removed = await sqlError(
        db.query(`DELETE FROM ${quoteIdentifier(entity.table)} WHERE ${where}`, params),
      );
      expect(removed).toBeUndefined();
      expect(await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [history!.id])).toEqual([]);
    });
  });
}
