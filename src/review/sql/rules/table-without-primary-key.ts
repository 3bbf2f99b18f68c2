import type { SchemaRule } from '../context.js';
import { quote, tableName, tableSql } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/table-without-primary-key',
  severity: 'error',
  group: 'keys',
  summary: 'Every table has a primary key',
  meaning:
    'Without a primary key a row cannot be addressed reliably: updates and deletes may hit duplicates, logical replication cannot publish UPDATE and DELETE, and ORMs and the API need an identity for ETags and URLs.',
  *check(context) {
    for (const table of context.tables()) {
      if (table.primaryKey) continue;
      const uniqueNotNull = context
        .indexesOf(table)
        .find(
          (index) =>
            index.unique &&
            !index.predicate &&
            index.keys.every((key) => key.column && table.columns.get(key.column)?.notNull),
        );
      const name = tableSql(table);
      const replacement = uniqueNotNull
        ? `ALTER TABLE ${name} ADD CONSTRAINT ${quote(`${table.name}_pkey`)} PRIMARY KEY USING INDEX ${quote(uniqueNotNull.name)};`
        : `ALTER TABLE ${name} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`;
      yield {
        message: `Table ${tableName(table)} has no primary key`,
        span: table.origin.span,
        pointer: table.key,
        help: uniqueNotNull
          ? `Table ${tableName(table)} already has a unique index on NOT NULL columns (${uniqueNotNull.name}); promote it to the primary key.`
          : `Add a primary key: a surrogate bigint identity (or a UUID v7) column, or the natural key if one exists.`,
        fix: { description: 'Add a primary key', replacement },
      };
    }
  },
};
