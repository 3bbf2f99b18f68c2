import type { SchemaRule } from '../context.js';
import { columnPointer, tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/time-with-time-zone',
  severity: 'warn',
  group: 'types',
  summary: 'Do not use timetz',
  meaning:
    '`time with time zone` keeps a fixed UTC offset without a date, so it cannot know about daylight saving; the PostgreSQL documentation itself says it exists only for SQL-standard compliance. Use `timestamptz` for an instant, or `time` plus a separate time-zone name column for a local time of day.',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        if (context.typeOf(column).name !== 'timetz') continue;
        yield {
          message: `Column ${tableName(table)}.${column.name} is time with time zone`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: 'Use timestamptz for an instant, or time plus a time-zone name (text) for a local time of day.',
        };
      }
    }
  },
};
