import type { SchemaRule } from '../context.js';
import { columnPointer, tableName } from '../helpers.js';

const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);

export const rule: SchemaRule = {
  id: 'sql/rounded-timestamp',
  severity: 'info',
  group: 'types',
  summary: 'Do not use timestamp(0) or timestamptz(0)',
  meaning:
    'A precision of 0 rounds rather than truncates, so a value can land up to half a second in the future: an event stored at 23:59:59.6 reads back as the next day. Keep full precision and truncate with date_trunc() where whole seconds are needed.',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        const type = context.typeOf(column);
        if (!TIME_TYPES.has(type.name) || type.modifiers[0] !== 0) continue;
        yield {
          message: `Column ${tableName(table)}.${column.name} is ${type.display}, which rounds to whole seconds`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} without a precision and use date_trunc('second', ...) when displaying.`,
        };
      }
    }
  },
};
