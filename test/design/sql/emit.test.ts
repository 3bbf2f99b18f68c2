/**
 * The emitted text itself, without a database: deterministic, idempotent statement forms, the
 * order tables must be created in, one comment per check carrying its message, and the type
 * choices our own SQL review asks for.
 */
import { describe, expect, it } from 'vitest';
import { getEntity, loadBlueprint } from '../../../src/blueprint/index.js';
import {
  APPEND_ONLY_SQLSTATE,
  emitDropSql,
  emitSchemaSql,
  STATEMENT_KINDS,
  schemaStatements,
  UUID_V7_FUNCTION,
} from '../../../src/design/sql/index.js';
import { COVERAGE_FIXTURE, loadTestModels } from './support/models.js';

const models = await loadTestModels();

/** Every statement must be safe to run on a database that already has the schema. */
const IDEMPOTENT_FORMS = [
  /^CREATE OR REPLACE FUNCTION /,
  /^CREATE TABLE IF NOT EXISTS /,
  /^CREATE (UNIQUE )?INDEX IF NOT EXISTS /,
  /^CREATE OR REPLACE TRIGGER /,
  /^COMMENT ON /,
  /^DO \$do\$\nBEGIN\n {2}IF NOT EXISTS \(/,
];

describe.each(models)('$label', ({ model }) => {
  const statements = schemaStatements(model);
  const script = emitSchemaSql(model);

  it('is deterministic: the same model gives byte-identical text', async () => {
    expect(emitSchemaSql(model)).toBe(script);
    expect(emitSchemaSql(await loadBlueprint(model.source))).toBe(script);
  });

  it('is the statements of schemaStatements, in order, with comments between', () => {
    let cursor = 0;
    for (const statement of statements) {
      const found = script.indexOf(statement.sql, cursor);
      expect(found, statement.name).toBeGreaterThanOrEqual(cursor);
      cursor = found + statement.sql.length;
    }
    // Nothing else: without its banner comments and blank lines, the script is the statements.
    const lines = (text: string) =>
      text.split('\n').filter((line) => !line.startsWith('--') && line.trim() !== '');
    expect(lines(script)).toEqual(lines(statements.map((statement) => statement.sql).join('\n')));
  });

  it('uses only idempotent statement forms of known kinds', () => {
    for (const statement of statements) {
      expect(STATEMENT_KINDS).toContain(statement.kind);
      expect(
        IDEMPOTENT_FORMS.some((form) => form.test(statement.sql)),
        statement.sql.slice(0, 80),
      ).toBe(true);
      expect(statement.sql.endsWith(';')).toBe(true);
    }
  });

  it('names each object once per kind', () => {
    const keys = statements.map((statement) => `${statement.kind} ${statement.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('creates entity tables in model.creationOrder, the shared functions first', () => {
    const tables = statements
      .filter((statement) => statement.kind === 'table')
      .map((statement) => statement.name);
    const entityTables = model.creationOrder.map((name) => getEntity(model, name).table);
    expect(tables.filter((table) => entityTables.includes(table))).toEqual(entityTables);
    const firstTable = statements.findIndex((statement) => statement.kind === 'table');
    const functions = statements.filter((statement) => statement.kind === 'function');
    expect(functions.map((statement) => statement.name)).toContain(UUID_V7_FUNCTION);
    expect(statements.slice(0, firstTable).filter((statement) => statement.kind === 'function')).toEqual(
      functions,
    );
  });

  it('comments every check constraint with its blueprint message', () => {
    for (const entity of model.entities) {
      for (const check of entity.checks) {
        const comment = statements.find(
          (statement) => statement.kind === 'comment' && statement.name === check.constraint,
        );
        expect(comment?.sql, check.constraint).toContain(`IS '${check.message.replace(/'/g, "''")}'`);
      }
    }
  });

  it('describes each table statement by its columns and constraints', () => {
    for (const entity of model.entities) {
      const table = statements.find(
        (statement) => statement.kind === 'table' && statement.name === entity.table,
      )!;
      const names = table.columns!.map((column) => column.name);
      expect(names).toEqual(expect.arrayContaining(entity.fields.map((field) => field.column)));
      for (const field of entity.fields) {
        expect(table.columns!.find((column) => column.name === field.column)).toMatchObject({
          type: field.sqlType,
          notNull: !field.nullable,
        });
      }
      if (entity.softDelete) expect(names).toContain('deleted_at');
      if (entity.search) expect(names).toContain(entity.search.column);
      const squeezed = table.sql.replace(/ +/g, ' ');
      for (const column of table.columns!) expect(squeezed).toContain(column.definition);
      for (const constraint of table.constraints!) {
        expect(table.sql).toContain(`CONSTRAINT ${constraint.name} ${constraint.definition}`);
      }
      expect(
        table.constraints!.filter((constraint) => constraint.kind === 'check').map((c) => c.name),
      ).toEqual(entity.checks.map((check) => check.constraint));
    }
  });

  it('follows the SQL review: timestamptz, text, numeric, identity, jsonb, snake_case', () => {
    const code = script
      .split('\n')
      .filter((line) => !line.trim().startsWith('--'))
      .join('\n');
    expect(code).not.toMatch(/\bvarchar\b|character varying/i);
    expect(code).not.toMatch(/\btimestamp\b(?! with time zone)/i);
    expect(code).not.toMatch(/\b(small|big)?serial\b/i);
    expect(code).not.toMatch(/\bjson\b(?!b)/i);
    expect(code).not.toMatch(/\b(money|float|real|double precision)\b/i);
    for (const statement of statements.filter((candidate) => candidate.kind === 'table')) {
      expect(statement.name).toMatch(/^[a-z][a-z0-9_]*$/);
      for (const column of statement.columns!) expect(column.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('drops every table and shared function in emitDropSql', () => {
    const drop = emitDropSql(model);
    for (const statement of statements.filter((candidate) => candidate.kind === 'table')) {
      expect(drop).toContain(`DROP TABLE IF EXISTS ${statement.name} CASCADE;`);
    }
    expect(drop).toContain(`DROP FUNCTION IF EXISTS ${UUID_V7_FUNCTION}() CASCADE;`);
  });
});

describe('constructs', () => {
  it('adds a foreign key closing a reference cycle after both tables, guarded by pg_constraint', async () => {
    const model = await loadBlueprint(COVERAGE_FIXTURE);
    const statements = schemaStatements(model);
    const deferred = statements.find((statement) => statement.name === 'teams_captain_id_fkey')!;
    expect(deferred.kind).toBe('constraint');
    expect(deferred.sql).toContain(
      "WHERE conrelid = 'teams'::regclass AND conname = 'teams_captain_id_fkey'",
    );
    expect(deferred.sql).toContain('REFERENCES players (id) ON DELETE SET NULL');
    const position = (name: string) => statements.findIndex((statement) => statement.name === name);
    expect(position('teams_captain_id_fkey')).toBeGreaterThan(position('players'));
    expect(position('teams_captain_id_fkey')).toBeGreaterThan(position('teams'));
    const teams = statements.find((statement) => statement.name === 'teams')!;
    expect(teams.sql).not.toContain('teams_captain_id_fkey');
  });

  it('states its SQLSTATE and the touch contract in the script', async () => {
    const script = emitSchemaSql(await loadBlueprint(COVERAGE_FIXTURE));
    expect(script).toContain(`USING ERRCODE = '${APPEND_ONLY_SQLSTATE}'`);
    expect(script).toContain('NEW.version := OLD.version + 1;');
    expect(script).toMatch(/CREATE TABLE IF NOT EXISTS audit_log/);
  });
});
