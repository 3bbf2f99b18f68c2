/**
 * Rows built from the model: a valid row for any entity (creating the rows it references), and
 * a search for a row that breaks one named check and nothing else. The constraint tests are
 * generated from these, so a new blueprint gets its constraints proven without new test code.
 */
import { randomUUID } from 'node:crypto';
import {
  type Entity,
  type Field,
  type FieldKind,
  getEntity,
  type Model,
} from '../../../../src/blueprint/index.js';
import { quoteIdentifier } from '../../../../src/sql/identifiers.js';
import { attempt, type Row, type SqlErrorInfo, type TestDatabase } from './databases.js';

/** Columns a client-side INSERT may set: declared fields (the key, state and system columns default). */
export function insertableFields(entity: Entity): Field[] {
  return entity.fields.filter((field) => field.origin === 'declared');
}

export function insertSql(entity: Entity, values: Row): { text: string; params: unknown[] } {
  const columns = Object.keys(values);
  const table = quoteIdentifier(entity.table);
  if (columns.length === 0) return { text: `INSERT INTO ${table} DEFAULT VALUES RETURNING *`, params: [] };
  return {
    text: `INSERT INTO ${table} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns
      .map((_, position) => `$${position + 1}`)
      .join(', ')}) RETURNING *`,
    params: columns.map((column) => values[column]),
  };
}

const numberProbes = (field: Field): unknown[] => {
  const isInteger = field.kind !== 'decimal';
  const bounds = [field.min, field.max].filter((value): value is number => value !== undefined);
  const near = bounds.flatMap((bound) => [bound - 1, bound + 1, bound]);
  const fractions = isInteger ? [] : [0.00001, 0.5, -0.5];
  return [...new Set([0, 1, -1, 1_000_000, -1_000_000, ...near, ...fractions])].map(String);
};

const textProbes = (field: Field): unknown[] => [
  '',
  'x',
  'abc',
  'ABC',
  'abcdefgh',
  'x'.repeat((field.max ?? 300) + 1),
  // Too long but otherwise well-formed, so only the length check objects.
  `${'u'.repeat(field.max ?? 300)}@example.com`,
  `https://example.com/${'p'.repeat(field.max ?? 300)}`,
  'not an email',
  'user@example.com',
  'https://example.com/a',
  'ftp:/bad',
  'not_a_listed_value',
  ...(field.enum?.values ?? []),
];

/** Values likely to break a check, per kind of field. */
const PROBES: Record<FieldKind, (field: Field) => unknown[]> = {
  string: textProbes,
  text: textProbes,
  email: textProbes,
  url: textProbes,
  enum: textProbes,
  integer: numberProbes,
  bigint: numberProbes,
  decimal: numberProbes,
  boolean: () => [true, false],
  date: () => ['1900-01-01', '2026-01-15', '2999-12-31'],
  datetime: () => ['1900-01-01T00:00:00Z', '2026-01-15T10:00:00Z', '2999-12-31T23:59:59Z'],
  uuid: () => [randomUUID()],
  json: () => [{}, [], { key: 'value' }],
  // References keep the row's own target (or NULL): a made-up id would break the foreign key.
  reference: () => [],
};

/** A value that satisfies the field's own options; `n` keeps unique columns apart. */
function validValue(field: Field, n: number): unknown {
  switch (field.kind) {
    case 'enum':
      return field.default ?? field.enum!.values[0];
    case 'email':
      return `user${n}@example.com`;
    case 'url':
      return `https://example.com/${n}`;
    case 'string':
    case 'text': {
      const text = `${field.name.replace(/_/g, '')}${n}`;
      const length =
        field.length ?? Math.max(field.min ?? 1, Math.min(text.length, field.max ?? text.length));
      return text.length >= length ? text.slice(text.length - length) : text.padStart(length, 'x');
    }
    case 'integer':
    case 'bigint':
    case 'decimal': {
      let value = field.min ?? 1;
      if (field.unique) value += n;
      if (field.max !== undefined && value > field.max) value = field.max;
      if (String(value) === String(field.not)) value += 1;
      return String(value);
    }
    case 'boolean':
      return true;
    case 'date':
      return '2026-01-15';
    case 'datetime':
      return '2026-01-15T10:00:00Z';
    case 'uuid':
      return randomUUID();
    case 'json':
      return {};
    case 'reference':
      throw new Error('references are filled with a created row');
  }
}

export class RowFactory {
  private counter = 0;

  constructor(
    private readonly model: Model,
    private readonly db: TestDatabase,
  ) {}

  /**
   * Values for a valid row: required fields get values, optional ones stay NULL and defaulted
   * ones take their default, unless listed in `fill`. Referenced rows are created (committed).
   */
  async validValues(entity: Entity, fill: ReadonlySet<string> = new Set()): Promise<Row> {
    const n = ++this.counter;
    const values: Row = {};
    // The tenant first: every tenant-owned row this one references must share it (the foreign
    // keys between tenant-owned tables are composite, tenant and key).
    const tenantColumn = entity.tenant?.column;
    const fields = insertableFields(entity).sort(
      (a, b) => Number(b.column === tenantColumn) - Number(a.column === tenantColumn),
    );
    let tenantId: unknown;
    for (const field of fields) {
      const isWanted = fill.has(field.column) || (!field.nullable && field.sqlDefault === undefined);
      if (!isWanted) continue;
      if (field.reference) {
        const target = getEntity(this.model, field.reference.entity);
        const sameTenant =
          tenantId !== undefined && target.tenant ? { [target.tenant.column]: tenantId } : {};
        const parent = await this.insertValid(target, sameTenant);
        values[field.column] = parent[field.reference.column];
        if (field.column === tenantColumn) tenantId = values[field.column];
      } else {
        values[field.column] = validValue(field, n);
      }
    }
    const repaired = await this.search(entity, values, (error) => error === undefined);
    if (!repaired) {
      const error = await this.tryInsert(entity, values);
      throw new Error(`No valid row found for ${entity.table}: ${error?.message}`);
    }
    return repaired;
  }

  async insert(entity: Entity, values: Row): Promise<Row> {
    const { text, params } = insertSql(entity, values);
    const rows = await this.db.query(text, params);
    return rows[0]!;
  }

  async insertValid(entity: Entity, overrides: Row = {}): Promise<Row> {
    return this.insert(entity, {
      ...(await this.validValues(entity, new Set(Object.keys(overrides)))),
      ...overrides,
    });
  }

  /** The error inserting these values raises, rolled back either way. */
  tryInsert(entity: Entity, values: Row): Promise<SqlErrorInfo | undefined> {
    const { text, params } = insertSql(entity, values);
    return attempt(this.db, (db) => db.query(text, params));
  }

  /** A row like `base` but breaking exactly the given check (the error names it), or undefined. */
  violating(entity: Entity, base: Row, constraint: string): Promise<Row | undefined> {
    const check = entity.checks.find((candidate) => candidate.constraint === constraint)!;
    return this.search(
      entity,
      base,
      (error) => error?.code === '23514' && error.constraint === constraint,
      check.columns,
    );
  }

  /**
   * Try `base`, then variations of the columns of whatever check fails (or of `columns`), until
   * an insert ends as `goal` wants. Each attempt is rolled back.
   */
  private async search(
    entity: Entity,
    base: Row,
    goal: (error: SqlErrorInfo | undefined) => boolean,
    columns: readonly string[] = [],
  ): Promise<Row | undefined> {
    const varied = new Set(columns);
    for (let round = 0; round < 4; round += 1) {
      let lastError: SqlErrorInfo | undefined;
      for (const candidate of combinations(entity, base, [...varied])) {
        const error = await this.tryInsert(entity, candidate);
        if (goal(error)) return candidate;
        lastError ??= error;
      }
      // Widen the search to the columns of the check that got in the way.
      const blocking = entity.checks.find((check) => check.constraint === lastError?.constraint);
      const before = varied.size;
      for (const column of blocking?.columns ?? []) varied.add(column);
      if (varied.size === before) return undefined;
    }
    return undefined;
  }
}

/** Every combination of probe values over `columns`, the base row first. */
function* combinations(entity: Entity, base: Row, columns: readonly string[]): Generator<Row> {
  const options = columns.map((column) => {
    const field = entity.fields.find((candidate) => candidate.column === column);
    if (!field || field.origin === 'computed' || field.origin === 'key') return [base[column]];
    const values = [base[column], ...PROBES[field.kind](field)];
    if (field.nullable) values.push(null);
    return values.filter((value) => value !== undefined);
  });
  const total = options.reduce((count, values) => count * Math.max(values.length, 1), 1);
  for (let index = 0; index < Math.min(total, 2000); index += 1) {
    const row: Row = { ...base };
    let rest = index;
    columns.forEach((column, position) => {
      const values = options[position]!;
      if (values.length === 0) return;
      row[column] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    });
    yield row;
  }
}
