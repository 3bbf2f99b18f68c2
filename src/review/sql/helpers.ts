/**
 * Small helpers the schema rules share.
 */
import { quoteIdentifier } from '../../sql/identifiers.js';
import { calledFunctions, displayName } from '../sql-parse/ast.js';
import type { ColumnModel, IndexModel, TableModel } from '../sql-parse/catalog.js';
import { SERIAL_TYPES } from '../sql-parse/column-type.js';

/** `orders` or `billing.orders`, quoted where needed, for SQL in fixes. */
export function tableSql(table: TableModel | string): string {
  const key = typeof table === 'string' ? table : table.key;
  const dot = key.indexOf('.');
  const schema = key.slice(0, dot);
  const name = key.slice(dot + 1);
  return schema === 'public' ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

export function columnPointer(table: TableModel, column: string): string {
  return `${table.key}.${column}`;
}

export function tableName(table: TableModel): string {
  return displayName(table.key);
}

/** serial types, or pg_dump's spelling of them: DEFAULT nextval('..._seq'::regclass). */
export function isSequenceBacked(column: ColumnModel): boolean {
  return SERIAL_TYPES.has(column.type.name) || calledFunctions(column.defaultExpression).includes('nextval');
}

export function isGeneratedKey(column: ColumnModel): boolean {
  return isSequenceBacked(column) || column.identity !== undefined;
}

export function indexColumns(index: IndexModel): string {
  return index.keys.map((key) => key.column ?? key.expression ?? '?').join(', ');
}

/** Printed definition used to compare indexes: method, keys with options, INCLUDE, predicate. */
export function indexSignature(index: IndexModel): string {
  const keys = index.keys.map((key) => `${key.column ?? `(${key.expression})`} ${key.options}`.trim());
  return `${index.table}|${index.method}|${keys.join(',')}|${[...index.include].sort().join(',')}|${index.predicate ?? ''}`;
}

export function quote(name: string): string {
  return quoteIdentifier(name);
}
