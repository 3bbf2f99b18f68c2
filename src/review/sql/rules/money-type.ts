import type { SchemaRule } from '../context.js';
import { columnPointer, quote, tableName, tableSql } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/money-type',
  severity: 'warn',
  group: 'types',
  summary: 'Do not use the money type',
  meaning:
    'money has a fixed fraction precision taken from the lc_monetary setting, so the same dump restored under another locale reads different amounts, it cannot hold more than one currency, and division and rounding are awkward. Use numeric (plus a currency column when needed).',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        if (context.typeOf(column).name !== 'money') continue;
        yield {
          message: `Column ${tableName(table)}.${column.name} uses the money type`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} as numeric(12, 2), with a currency column if amounts can be in more than one currency.`,
          fix: {
            description: 'Use numeric',
            replacement: `ALTER TABLE ${tableSql(table)} ALTER COLUMN ${quote(column.name)} TYPE numeric(12, 2);`,
          },
        };
      }
    }
  },
};
