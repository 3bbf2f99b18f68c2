import type { SchemaRule } from '../context.js';
import { columnPointer, tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/char-type',
  severity: 'warn',
  group: 'types',
  summary: 'Do not use char(n)',
  meaning:
    'char(n) pads values with spaces to n characters, and the padding is ignored or kept depending on the operator (comparisons ignore it, LIKE and concatenation do not), which produces surprising results. It saves no space and is not faster. Use text (with a CHECK on length, or an exact-length CHECK for fixed-size codes).',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        const type = context.typeOf(column);
        if (type.name !== 'bpchar') continue;
        const length = type.modifiers[0] ?? 1;
        yield {
          message: `Column ${tableName(table)}.${column.name} is ${type.display}`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} as text with CHECK (char_length(${column.name}) = ${length}) for a fixed-size code, or <= ${length} for a bounded one.`,
        };
      }
    }
  },
};
