/**
 * Compare the schema the blueprint wants with the one the database holds. Each difference is
 * data: what differs, whether start-up may fix it (additive changes only), the statements that
 * do, or why it may not. A migration planner can grow from this list without changing its shape.
 */
import { quoteIdentifier } from '../../sql/identifiers.js';
import type { Catalog, CatalogTable } from './catalog.js';
import type { DesiredColumn, DesiredConstraint, DesiredSchema } from './desired.js';

export type SchemaDifferenceKind =
  | 'missing_table'
  | 'missing_column'
  | 'missing_constraint'
  | 'unvalidated_constraint'
  | 'missing_object'
  | 'extra_column'
  | 'type_changed'
  | 'nullability_tightened'
  | 'nullability_relaxed'
  | 'required_column_on_filled_table';

export interface SchemaDifference {
  readonly kind: SchemaDifferenceKind;
  readonly table?: string;
  /** The column, constraint, index, trigger or function concerned. */
  readonly name?: string;
  /** What the blueprint wants, and what the database has, when that is a value (a type). */
  readonly expected?: string;
  readonly actual?: string;
  /** True when start-up applies it; false when it refuses to start. */
  readonly isSafe: boolean;
  /** For people: what differs, and for unsafe ones why start-up will not do it. */
  readonly message: string;
  /**
   * Statements that fix it: `before` runs ahead of the schema script (column changes), `after`
   * right after its table's CREATE TABLE in the script (constraints: after the tables they
   * reference, before the comments that name them). Absent when the script itself fixes it
   * (missing tables, indexes, triggers, functions).
   */
  readonly before?: readonly string[];
  readonly after?: readonly string[];
}

export interface DiffContext {
  /** Canonical spellings of the desired types (see `canonicalTypes`). */
  readonly canonicalTypes: ReadonlyMap<string, string>;
  /** Existing tables that hold at least one row. */
  readonly filledTables: ReadonlySet<string>;
}

const CATALOG_CONSTRAINT_TYPE: Record<DesiredConstraint['kind'], string> = {
  primary_key: 'p',
  foreign_key: 'f',
  check: 'c',
};

function addConstraintStatements(table: string, constraint: DesiredConstraint): string[] {
  const target = `ALTER TABLE ${quoteIdentifier(table)}`;
  const name = quoteIdentifier(constraint.name);
  // Foreign keys and checks are added NOT VALID (a brief lock, no scan) and then validated (a
  // scan that lets reads and writes continue), the lock-friendly order PostgreSQL documents.
  if (constraint.kind === 'primary_key')
    return [`${target} ADD CONSTRAINT ${name} ${constraint.definition};`];
  return [
    `${target} ADD CONSTRAINT ${name} ${constraint.definition} NOT VALID;`,
    `${target} VALIDATE CONSTRAINT ${name};`,
  ];
}

function diffColumn(
  table: string,
  wanted: DesiredColumn,
  existing: CatalogTable,
  context: DiffContext,
): SchemaDifference | undefined {
  const actual = existing.columns.find((column) => column.name === wanted.name);
  if (!actual) {
    if (!wanted.fillsItself && context.filledTables.has(table)) {
      return {
        kind: 'required_column_on_filled_table',
        table,
        name: wanted.name,
        isSafe: false,
        message: `${table}.${wanted.name} is new and required without a default, but ${table} already holds rows that would have no value; give it a default or make it optional first`,
      };
    }
    return {
      kind: 'missing_column',
      table,
      name: wanted.name,
      isSafe: true,
      message: `add column ${table}.${wanted.name}`,
      before: [`ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${wanted.definition};`],
    };
  }
  const expectedType = context.canonicalTypes.get(wanted.type) ?? wanted.type;
  if (actual.type !== expectedType) {
    return {
      kind: 'type_changed',
      table,
      name: wanted.name,
      expected: expectedType,
      actual: actual.type,
      isSafe: false,
      message: `${table}.${wanted.name} is ${actual.type} in the database but ${expectedType} in the blueprint; changing a type rewrites the table and can fail or lose data, so it needs a written migration`,
    };
  }
  if (wanted.notNull && !actual.notNull) {
    return {
      kind: 'nullability_tightened',
      table,
      name: wanted.name,
      isSafe: false,
      message: `${table}.${wanted.name} is optional in the database but required in the blueprint; existing rows may hold NULL, so fill them and SET NOT NULL in a written migration`,
    };
  }
  if (!wanted.notNull && actual.notNull) {
    return {
      kind: 'nullability_relaxed',
      table,
      name: wanted.name,
      isSafe: true,
      message: `make ${table}.${wanted.name} optional`,
      before: [
        `ALTER TABLE ${quoteIdentifier(table)} ALTER COLUMN ${quoteIdentifier(wanted.name)} DROP NOT NULL;`,
      ],
    };
  }
  return undefined;
}

function diffConstraint(
  table: string,
  wanted: DesiredConstraint,
  existing: CatalogTable,
): SchemaDifference | undefined {
  const actual = existing.constraints.find((constraint) => constraint.name === wanted.name);
  if (!actual) {
    return {
      kind: 'missing_constraint',
      table,
      name: wanted.name,
      isSafe: true,
      message: `add constraint ${wanted.name} on ${table}`,
      after: addConstraintStatements(table, wanted),
    };
  }
  if (actual.type === CATALOG_CONSTRAINT_TYPE[wanted.kind] && !actual.validated) {
    return {
      kind: 'unvalidated_constraint',
      table,
      name: wanted.name,
      isSafe: true,
      message: `validate constraint ${wanted.name} on ${table}`,
      after: [`ALTER TABLE ${quoteIdentifier(table)} VALIDATE CONSTRAINT ${quoteIdentifier(wanted.name)};`],
    };
  }
  return undefined;
}

/**
 * Every difference between the blueprint's schema and the database, in the order the schema is
 * declared. Tables, indexes and constraints the blueprint does not know are left alone (other
 * tools may own them); columns it does not know are refused, since they usually mean a field was
 * renamed or removed and its data would silently stop being served.
 */
export function diffSchema(
  desired: DesiredSchema,
  catalog: Catalog,
  context: DiffContext,
): SchemaDifference[] {
  const differences: SchemaDifference[] = [];
  for (const table of desired.tables) {
    const existing = catalog.tables.get(table.name);
    if (!existing) {
      differences.push({
        kind: 'missing_table',
        table: table.name,
        isSafe: true,
        message: `create table ${table.name}`,
      });
      continue;
    }
    for (const column of table.columns) {
      const difference = diffColumn(table.name, column, existing, context);
      if (difference) differences.push(difference);
    }
    for (const column of existing.columns) {
      if (table.columns.some((wanted) => wanted.name === column.name)) continue;
      differences.push({
        kind: 'extra_column',
        table: table.name,
        name: column.name,
        actual: column.type,
        isSafe: false,
        message: `${table.name}.${column.name} exists in the database but not in the blueprint; a removed or renamed field would leave its data behind, so drop or rename it in a written migration (or declare it)`,
      });
    }
    for (const constraint of table.constraints) {
      const difference = diffConstraint(table.name, constraint, existing);
      if (difference) differences.push(difference);
    }
  }
  for (const object of desired.objects) {
    if (isPresent(object, catalog)) continue;
    // Objects on tables that do not exist yet come with the table; no need to list them.
    if (object.table && !catalog.tables.has(object.table)) continue;
    differences.push({
      kind: 'missing_object',
      table: object.table,
      name: object.name,
      isSafe: true,
      message: `create ${object.kind} ${object.name}${object.table ? ` on ${object.table}` : ''}`,
    });
  }
  return differences;
}

function isPresent(object: DesiredSchema['objects'][number], catalog: Catalog): boolean {
  const table = object.table ? catalog.tables.get(object.table) : undefined;
  switch (object.kind) {
    case 'function':
      return catalog.functions.has(object.name);
    case 'index':
      return table?.indexes.includes(object.name) ?? false;
    case 'trigger':
      return table?.triggers.includes(object.name) ?? false;
    case 'constraint':
      return table?.constraints.some((constraint) => constraint.name === object.name) ?? false;
  }
}

/** The refusal text: one line per unsafe difference. */
export function describeDifferences(differences: readonly SchemaDifference[]): string {
  return differences.map((difference) => `  - ${difference.message}`).join('\n');
}
