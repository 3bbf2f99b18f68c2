import type { SchemaRule } from '../context.js';
import { columnPointer, quote, tableName, tableSql } from '../helpers.js';
import { candidateTablesFor } from '../naming.js';

export const rule: SchemaRule = {
  id: 'sql/id-column-without-foreign-key',
  severity: 'info',
  group: 'references',
  summary: 'A `<name>_id` column matching a table has a foreign key',
  meaning:
    'A column named after another table (customer_id next to a customers table) that has no foreign key lets orphans and typos in: deleted customers leave dangling ids that joins silently drop. If the link is real, declare it; if it deliberately points elsewhere (another database, a soft reference), a comment saying so avoids the question.',
  *check(context) {
    for (const table of context.tables()) {
      const linked = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
      const keyColumns = new Set(table.primaryKey?.columns ?? []);
      for (const column of table.columns.values()) {
        if (linked.has(column.name) || keyColumns.has(column.name)) continue;
        const target = candidateTablesFor(column.name)
          .map((name) => context.catalog.tables.get(`${table.schema}.${name}`))
          .find(
            (candidate) =>
              candidate &&
              candidate !== table &&
              !table.inheritsFrom.includes(candidate.key) &&
              candidate.primaryKey?.columns.length === 1,
          );
        if (!target?.primaryKey) continue;
        const targetKey = target.primaryKey.columns[0]!;
        yield {
          message: `Column ${tableName(table)}.${column.name} looks like a reference to ${tableName(target)} but has no foreign key`,
          span: column.origin.span,
          pointer: columnPointer(table, column.name),
          help: `Add FOREIGN KEY (${column.name}) REFERENCES ${tableName(target)} (${targetKey}) with an ON DELETE decision, and index ${column.name}.`,
          fix: {
            description: 'Add the foreign key',
            replacement: `ALTER TABLE ${tableSql(table)} ADD FOREIGN KEY (${quote(column.name)}) REFERENCES ${tableSql(target)} (${quote(targetKey)}) NOT VALID;`,
          },
        };
      }
    }
  },
};
