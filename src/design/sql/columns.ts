/**
 * Column definitions for an entity table: the model's fields, plus the columns the entity's
 * options add (`deleted_at` for soft delete, `search_vector` for full-text search).
 */
import type { Entity, Field, FieldOrigin } from '../../blueprint/model.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import { alignRows } from './format.js';
import type { TableColumn } from './statements.js';

/** A column split into cells so a table can print its columns aligned. */
export interface ColumnCells {
  readonly name: string;
  readonly type: string;
  /** NOT NULL, DEFAULT, GENERATED ... (may be empty). */
  readonly options: string;
}

export const SOFT_DELETE_COLUMN = 'deleted_at';
/** Text search configuration: `simple` exists everywhere and does not stem, so codes stay whole. */
export const SEARCH_CONFIGURATION = 'simple';

const notNull = (field: Field) => (field.nullable ? '' : 'NOT NULL');
const withDefault = (field: Field) =>
  [notNull(field), field.sqlDefault === undefined ? '' : `DEFAULT ${field.sqlDefault}`]
    .filter(Boolean)
    .join(' ');

/** How each origin of column is declared. */
const OPTIONS_BY_ORIGIN: Record<FieldOrigin, (entity: Entity, field: Field) => string> = {
  // bigint keys are identities: the database numbers rows and refuses client-chosen ids.
  key: (entity, field) =>
    entity.key.kind === 'bigint' ? 'NOT NULL GENERATED ALWAYS AS IDENTITY' : withDefault(field),
  declared: (_entity, field) => withDefault(field),
  lifecycle: (_entity, field) => withDefault(field),
  system: (_entity, field) => withDefault(field),
  computed: (_entity, field) =>
    [notNull(field), `GENERATED ALWAYS AS (${field.computed}) STORED`].filter(Boolean).join(' '),
};

/** The entity's columns in table order. */
export function entityColumns(entity: Entity): ColumnCells[] {
  const columns: ColumnCells[] = entity.fields.map((field) => ({
    name: field.column,
    type: field.sqlType,
    options: OPTIONS_BY_ORIGIN[field.origin](entity, field),
  }));
  if (entity.softDelete) {
    columns.push({ name: SOFT_DELETE_COLUMN, type: 'timestamptz', options: '' });
  }
  if (entity.search) {
    columns.push({
      name: entity.search.column,
      type: 'tsvector',
      options: `GENERATED ALWAYS AS (${searchDocument(entity.search.columns)}) STORED`,
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

/** `name type options` for ALTER TABLE ... ADD COLUMN. */
export function columnDefinition(cells: ColumnCells): TableColumn {
  return {
    name: cells.name,
    definition: [quoteIdentifier(cells.name), cells.type, cells.options].filter(Boolean).join(' '),
  };
}

/** Column lines of a CREATE TABLE, aligned on name and type. */
export function alignedColumnLines(columns: readonly ColumnCells[]): string[] {
  return alignRows(columns.map((cells) => [quoteIdentifier(cells.name), cells.type, cells.options]));
}
