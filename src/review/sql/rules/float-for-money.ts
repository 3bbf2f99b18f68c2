import { FLOAT_TYPES } from '../../sql-parse/column-type.js';
import type { SchemaRule } from '../context.js';
import { columnPointer, quote, tableName, tableSql } from '../helpers.js';
import { words } from '../naming.js';

/** Words that make a column name read as an amount of money. */
const MONEY_WORDS = new Set([
  'price',
  'prices',
  'cost',
  'costs',
  'amount',
  'total',
  'subtotal',
  'balance',
  'fee',
  'fees',
  'tax',
  'vat',
  'salary',
  'wage',
  'revenue',
  'payment',
  'charge',
  'discount',
  'budget',
  'refund',
  'invoice',
  'credit',
  'debit',
  'paid',
  'msrp',
  'money',
  'usd',
  'eur',
]);

export const rule: SchemaRule = {
  id: 'sql/float-for-money',
  severity: 'warn',
  group: 'types',
  summary: 'Money is numeric, not a floating-point type',
  meaning:
    'real and double precision are binary floating point: 0.1 + 0.2 is not 0.3, sums drift by fractions of a cent, and equality comparisons fail. Amounts of money belong in numeric(p, s) (exact decimal) or in an integer count of the smallest currency unit.',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        const type = context.typeOf(column);
        if (!FLOAT_TYPES.has(type.name) || !words(column.name).some((word) => MONEY_WORDS.has(word)))
          continue;
        yield {
          message: `Column ${tableName(table)}.${column.name} holds money in ${type.display}`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} as numeric(12, 2) (or an integer number of cents). Existing values round once during the conversion.`,
          fix: {
            description: 'Use numeric',
            replacement: `ALTER TABLE ${tableSql(table)} ALTER COLUMN ${quote(column.name)} TYPE numeric(12, 2);`,
          },
        };
      }
    }
  },
};
