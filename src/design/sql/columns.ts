/**
 * Column definitions for an entity table: the model's fields, plus the columns the entity's
 * options add (`deleted_at` for soft delete, `search_vector` for full-text search).
 */
import type { Entity, Field, FieldOrigin } from '../../blueprint/model.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import { alignRows } from './format.js';
import type { TableColumn } from './statements.js';

/** A column as data; `columnDefinition` and `alignedColumnLines` print it. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  /** Default expression (SQL). */
  readonly default?: string;
  /** What follows `GENERATED`: `ALWAYS AS IDENTITY` or `ALWAYS AS (expression) STORED`. */
  readonly generated?: string;
}

export const SOFT_DELETE_COLUMN = 'deleted_at';
/** Text search configuration: `simple` exists everywhere and does not stem, so codes stay whole. */
export const SEARCH_CONFIGURATION = 'simple';

/** How each origin of column is declared. */
const COLUMN_BY_ORIGIN: Record<FieldOrigin, (entity: Entity, field: Field) => ColumnSpec> = {
  // bigint keys are identities: the database numbers rows and refuses client-chosen ids.
  key: (entity, field) =>
    entity.key.kind === 'bigint'
      ? { name: field.column, type: field.sqlType, notNull: true, generated: 'ALWAYS AS IDENTITY' }
      : withDefault(field),
  declared: (_entity, field) => withDefault(field),
  lifecycle: (_entity, field) => withDefault(field),
  system: (_entity, field) => withDefault(field),
  computed: (_entity, field) => ({
    name: field.column,
    type: field.sqlType,
    notNull: !field.nullable,
    generated: `ALWAYS AS (${field.computed}) STORED`,
  }),
};

function withDefault(field: Field): ColumnSpec {
  return { name: field.column, type: field.sqlType, notNull: !field.nullable, default: field.sqlDefault };
}

/** NOT NULL, DEFAULT and GENERATED clauses (may be empty). */
export function columnOptions(column: ColumnSpec): string {
  return [
    column.notNull ? 'NOT NULL' : '',
    column.default === undefined ? '' : `DEFAULT ${column.default}`,
    column.generated === undefined ? '' : `GENERATED ${column.generated}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** The entity's columns in table order. */
export function entityColumns(entity: Entity): ColumnSpec[] {
  const columns = entity.fields.map((field) => COLUMN_BY_ORIGIN[field.origin](entity, field));
  if (entity.softDelete) {
    columns.push({ name: SOFT_DELETE_COLUMN, type: 'timestamptz', notNull: false });
  }
  if (entity.search) {
    columns.push({
      name: entity.search.column,
      type: 'tsvector',
      notNull: false,
      generated: `ALWAYS AS (${searchDocument(entity.search.columns)}) STORED`,
    });
  }
  return columns;
}

/** Comments for the columns the entity's options add (model fields carry their own). */
export function addedColumnDescriptions(entity: Entity): { column: string; description: string }[] {
  const descriptions: { column: string; description: string }[] = [];
  if (entity.softDelete) {
    descriptions.push({
      column: SOFT_DELETE_COLUMN,
      description: 'When the row was soft-deleted; NULL while it is live.',
    });
  }
  if (entity.search) {
    descriptions.push({
      column: entity.search.column,
      description: `Full-text search document over ${entity.search.columns.join(', ')}.`,
    });
  }
  return descriptions;
}

/**
 * The search document: the searched text columns joined by spaces. Only text fields can be
 * searched (the blueprint checks it), so no cast is needed and the expression stays immutable,
 * as a generated column requires.
 */
function searchDocument(columns: readonly string[]): string {
  const parts = columns.map((column) => `coalesce(${quoteIdentifier(column)}, '')`).join(" || ' ' || ");
  return `to_tsvector('${SEARCH_CONFIGURATION}', ${parts})`;
}

/** The column as data plus its `name type options` text for ALTER TABLE ... ADD COLUMN. */
export function columnDefinition(column: ColumnSpec): TableColumn {
  return {
    name: column.name,
    type: column.type,
    notNull: column.notNull,
    ...(column.default === undefined ? {} : { default: column.default }),
    ...(column.generated === undefined ? {} : { generated: column.generated }),
    definition: [quoteIdentifier(column.name), column.type, columnOptions(column)].filter(Boolean).join(' '),
  };
}

/** Column lines of a CREATE TABLE, aligned on name and type. */
export function alignedColumnLines(columns: readonly ColumnSpec[]): string[] {
  return alignRows(
    columns.map((column) => [quoteIdentifier(column.name), column.type, columnOptions(column)]),
  );
}
