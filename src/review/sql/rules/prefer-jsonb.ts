import type { SchemaRule } from '../context.js';
import { columnPointer, quote, tableName, tableSql } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/prefer-jsonb',
  severity: 'warn',
  group: 'types',
  summary: 'Use jsonb, not json',
  meaning:
    'json stores the text as given and reparses it on every access; it has no equality operator (so no DISTINCT, GROUP BY or UNIQUE) and no GIN indexing. jsonb is parsed once, supports containment operators and indexes. Keep json only when the exact text, key order or duplicate keys must be preserved.',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        if (context.typeOf(column).name !== 'json') continue;
        yield {
          message: `Column ${tableName(table)}.${column.name} is json`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} as jsonb. Converting an existing column rewrites the table under an ACCESS EXCLUSIVE lock.`,
          fix: {
            description: 'Use jsonb',
            replacement: `ALTER TABLE ${tableSql(table)} ALTER COLUMN ${quote(column.name)} TYPE jsonb USING ${quote(column.name)}::jsonb;`,
          },
        };
      }
    }
  },
};
