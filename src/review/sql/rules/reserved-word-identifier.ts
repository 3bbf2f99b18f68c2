import { isReservedWord } from '../../../sql/identifiers.js';
import type { SchemaRule } from '../context.js';
import { columnPointer, tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/reserved-word-identifier',
  severity: 'warn',
  group: 'naming',
  summary: 'Table and column names are not reserved words',
  meaning:
    'A table called "user" or a column called "order" must be double-quoted in every statement that touches it; tools and hand-written queries that forget get a syntax error or, for `user`, silently read the current role name instead of the column.',
  *check(context) {
    for (const table of context.tables()) {
      if (isReservedWord(table.name)) {
        yield {
          message: `Table name "${table.name}" is a reserved word`,
          span: table.origin.span,
          pointer: table.key,
          help: `Rename the table (e.g. ${table.name}s or app_${table.name}) so it needs no quoting.`,
        };
      }
      for (const column of table.columns.values()) {
        if (!isReservedWord(column.name)) continue;
        yield {
          message: `Column name ${tableName(table)}."${column.name}" is a reserved word`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Rename the column (e.g. ${column.name}_value, sort_${column.name}) so it needs no quoting.`,
        };
      }
    }
  },
};
