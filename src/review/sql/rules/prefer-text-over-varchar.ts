import { constraintName } from '../../../sql/identifiers.js';
import type { SchemaRule } from '../context.js';
import { columnPointer, quote, tableName, tableSql } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/prefer-text-over-varchar',
  severity: 'info',
  group: 'types',
  summary: 'Use text with a CHECK on length instead of varchar(n)',
  meaning:
    'varchar(n) and text are stored the same way; the length limit is the only difference. Raising the limit later is cheap, but lowering it, or changing it on PostgreSQL before 9.2, rewrites the table, and the error message for a too-long value names no constraint. text plus a named CHECK (char_length(col) <= n) says the same, can be changed with NOT VALID + VALIDATE without a long lock, and reports which rule was broken.',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        const type = column.type;
        if (type.name !== 'varchar' || type.modifiers.length === 0 || type.isArray) continue;
        const limit = type.modifiers[0];
        const check = constraintName(table.name, column.name, 'length');
        yield {
          message: `Column ${tableName(table)}.${column.name} is varchar(${limit})`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} as text with CONSTRAINT ${check} CHECK (char_length(${column.name}) <= ${limit}).`,
          fix: {
            description: 'Use text with a length check',
            replacement: `ALTER TABLE ${tableSql(table)} ALTER COLUMN ${quote(column.name)} TYPE text;\nALTER TABLE ${tableSql(table)} ADD CONSTRAINT ${quote(check)} CHECK (char_length(${quote(column.name)}) <= ${limit}) NOT VALID;\nALTER TABLE ${tableSql(table)} VALIDATE CONSTRAINT ${quote(check)};`,
          },
        };
      }
    }
  },
};
