import { constantValue } from '../../sql-parse/ast.js';
import type { SchemaRule } from '../context.js';
import { columnPointer, quote, tableName, tableSql } from '../helpers.js';

/** Columns that are always known when a row exists. */
const ALWAYS_KNOWN = new Set(['created_at', 'updated_at', 'version']);

export const rule: SchemaRule = {
  id: 'sql/nullable-should-be-not-null',
  severity: 'warn',
  group: 'nullability',
  summary: 'Columns with a default, and audit columns, are NOT NULL',
  meaning:
    'A column with a non-null DEFAULT is meant to always have a value, yet without NOT NULL an explicit NULL (an ORM sending every field, a bulk load) gets in, and every reader must handle three-valued logic. created_at, updated_at and version are always known for a stored row. Declaring NOT NULL also lets the planner and the API schema rely on it.',
  *check(context) {
    for (const table of context.tables()) {
      for (const column of table.columns.values()) {
        if (column.notNull || column.generated || column.identity) continue;
        const defaultValue = column.defaultExpression;
        const hasDefault = defaultValue !== undefined && constantValue(defaultValue) !== null;
        if (!hasDefault && !ALWAYS_KNOWN.has(column.name)) continue;
        const reason = hasDefault ? 'has a default but allows NULL' : 'is always known but allows NULL';
        yield {
          message: `Column ${tableName(table)}.${column.name} ${reason}`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Declare ${column.name} NOT NULL. On a live table add CHECK (${column.name} IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check.`,
          fix: {
            description: 'Make the column NOT NULL',
            replacement: `ALTER TABLE ${tableSql(table)} ALTER COLUMN ${quote(column.name)} SET NOT NULL;`,
          },
        };
      }
    }
  },
};
