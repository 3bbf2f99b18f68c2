import { calledFunctions } from '../../sql-parse/ast.js';
import type { SchemaRule } from '../context.js';
import { columnPointer, tableName } from '../helpers.js';

const RANDOM_UUID = new Set(['gen_random_uuid', 'uuid_generate_v4']);

export const rule: SchemaRule = {
  id: 'sql/uuid-v4-primary-key',
  severity: 'info',
  group: 'keys',
  summary: 'Random (v4) UUID primary keys scatter inserts across the index',
  meaning:
    'A random UUID lands on a random leaf page of the primary-key index, so once the index outgrows memory every insert reads and dirties a different page, and WAL volume grows with full-page writes. Time-ordered UUID v7 keeps inserts at the right edge of the index like a sequence while staying globally unique.',
  *check(context) {
    for (const table of context.tables()) {
      const key = table.primaryKey?.columns;
      if (key?.length !== 1) continue;
      const column = table.columns.get(key[0]!);
      const random = calledFunctions(column?.defaultExpression).find((name) => RANDOM_UUID.has(name));
      if (!column || !random) continue;
      yield {
        message: `Primary key ${tableName(table)}.${column.name} defaults to ${random}() (random UUID v4)`,
        span: column.origin.span,
        pointer: columnPointer(table, column.name),
        help: 'Default the key to a UUID v7 generator (PostgreSQL 18 has uuidv7(); earlier versions need a small SQL function) so new rows append to the index.',
      };
    }
  },
};
