import type { SchemaRule } from '../context.js';
import { columnPointer, quote, tableName, tableSql } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/timestamp-without-time-zone',
  severity: 'warn',
  group: 'types',
  summary: 'Use timestamptz, not timestamp',
  meaning:
    '`timestamp` (without time zone) stores a wall-clock reading with no zone, so the same instant written by two servers or sessions with different TimeZone settings becomes two different values, and arithmetic across daylight-saving changes is wrong. `timestamptz` stores an instant (UTC internally) and costs the same 8 bytes. Use `timestamp` only for a civil time that must not move, like a recurring alarm.',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        const type = context.typeOf(column);
        if (type.name !== 'timestamp') continue;
        yield {
          message: `Column ${tableName(table)}.${column.name} is timestamp without time zone`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} as timestamptz. Converting an existing column rewrites the table unless the session TimeZone is UTC (PostgreSQL 12+ then skips the rewrite); say which zone the stored values are in with USING.`,
          fix: {
            description: 'Use timestamptz',
            replacement: `ALTER TABLE ${tableSql(table)} ALTER COLUMN ${quote(column.name)} TYPE timestamptz USING ${quote(column.name)} AT TIME ZONE 'UTC';`,
          },
        };
      }
    }
  },
};
