import type { SchemaRule } from '../context.js';
import { tableName } from '../helpers.js';

const MAX_KEY_COLUMNS = 3;

export const rule: SchemaRule = {
  id: 'sql/wide-composite-key',
  severity: 'warn',
  group: 'keys',
  summary: 'Primary keys have at most three columns',
  meaning:
    'Every column of a primary key is repeated in each referencing table, in each of their foreign-key indexes, and in every URL and cache key that names a row. A key wider than three columns that other tables reference usually means a surrogate key (plus a UNIQUE constraint on the natural key) would serve better. A wide key nothing references (a sharded natural key, like `(shard_id, namespace_id, workflow_id, run_id)`) pays none of that and is left alone.',
  *check(context) {
    const referenced = new Set<string>();
    for (const table of context.tables())
      for (const foreignKey of table.foreignKeys) referenced.add(foreignKey.referencedTable);
    for (const table of context.tables()) {
      const key = table.primaryKey;
      if (!key || key.columns.length <= MAX_KEY_COLUMNS || !referenced.has(table.key)) continue;
      yield {
        message: `Primary key of ${tableName(table)} has ${key.columns.length} columns (${key.columns.join(', ')})`,
        span: key.origin.span,
        pointer: table.key,
        help: `Give ${tableName(table)} a surrogate key (bigint identity or UUID v7) and keep (${key.columns.join(', ')}) as a UNIQUE constraint.`,
      };
    }
  },
};
