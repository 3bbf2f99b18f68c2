import type { SchemaRule } from '../context.js';
import { indexColumns, tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/unique-on-nullable',
  severity: 'warn',
  group: 'nullability',
  summary: 'Multi-column unique constraints over nullable columns say how NULLs count',
  meaning:
    'In a unique constraint NULLs are distinct by default, so UNIQUE (tenant_id, parent_id) lets any number of rows with the same tenant_id and a NULL parent_id through. That is rarely what a multi-column uniqueness rule means. Declare the nullable columns NOT NULL, use UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+), or add a partial unique index for the NULL case.',
  *check(context) {
    for (const table of context.tables()) {
      for (const index of context.indexesOf(table)) {
        if (!index.unique || index.nullsNotDistinct || index.keys.length < 2) continue;
        const predicateColumns = new Set(index.predicateColumns);
        const nullable = index.keys
          .map((key) => key.column)
          .filter((name): name is string => name !== undefined && !predicateColumns.has(name))
          .filter((name) => table.columns.get(name)?.notNull === false);
        if (nullable.length === 0) continue;
        const fixText =
          context.postgresVersion >= 15
            ? 'declare it UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+)'
            : 'add a partial unique index WHERE the nullable column IS NULL';
        yield {
          message: `Unique ${index.constraint === 'unique' ? 'constraint' : 'index'} ${index.name} on ${tableName(table)} (${indexColumns(index)}) allows duplicates when ${nullable.join(', ')} ${nullable.length > 1 ? 'are' : 'is'} NULL`,
          span: index.origin.span,
          pointer: index.key,
          help: `If rows with NULL ${nullable.join(', ')} must be unique too, make the column NOT NULL or ${fixText}. If duplicates with NULL are intended, say so with a partial index WHERE ${nullable[0]} IS NOT NULL.`,
        };
      }
    }
  },
};
