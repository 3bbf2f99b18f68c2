import type { SchemaRule } from '../context.js';
import { columnPointer, tableName } from '../helpers.js';

const SNAKE_CASE = /^[a-z_][a-z0-9_]*$/;

export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export const rule: SchemaRule = {
  id: 'sql/naming-snake-case',
  severity: 'warn',
  group: 'naming',
  summary: 'Table and column names are lower snake_case',
  meaning:
    'PostgreSQL folds unquoted names to lower case, so a table created as "OrderItems" must be written with double quotes in every query, forever; forgetting them gives "relation orderitems does not exist". Lower snake_case names need no quoting and map one-to-one to API field names.',
  *check(context) {
    for (const table of context.tables()) {
      if (!SNAKE_CASE.test(table.name)) {
        yield {
          message: `Table name "${table.name}" is not lower snake_case`,
          span: table.origin.span,
          pointer: table.key,
          help: `Rename the table to ${toSnakeCase(table.name)} so queries need no quotes.`,
        };
      }
      for (const column of table.columns.values()) {
        if (SNAKE_CASE.test(column.name)) continue;
        yield {
          message: `Column name ${tableName(table)}."${column.name}" is not lower snake_case`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Rename the column to ${toSnakeCase(column.name)} so queries need no quotes.`,
        };
      }
    }
  },
};
