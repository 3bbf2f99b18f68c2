import { defaultConstraintName } from '../../sql-parse/constraints.js';
import type { SchemaRule } from '../context.js';
import { quote, tableName, tableSql } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/fk-without-index',
  severity: 'warn',
  group: 'indexes',
  summary: 'Foreign-key columns lead some index',
  meaning:
    'PostgreSQL indexes the referenced key but not the referencing columns. Without an index whose leading columns are the foreign-key columns, every DELETE or key UPDATE on the parent scans the whole child table (under a lock), and joins from parent to children cannot use an index.',
  *check(context) {
    for (const table of context.tables()) {
      const indexes = context
        .indexesOf(table)
        .filter((index) => !index.predicate && index.method === 'btree');
      for (const fk of table.foreignKeys) {
        const wanted = new Set(fk.columns);
        const covered = indexes.some((index) => {
          const leading = index.keys.slice(0, wanted.size);
          return (
            leading.length === wanted.size && leading.every((key) => key.column && wanted.has(key.column))
          );
        });
        if (covered) continue;
        const name = defaultConstraintName(table.name, fk.columns, 'idx');
        yield {
          message: `Foreign key ${fk.name ?? `(${fk.columns.join(', ')})`} on ${tableName(table)} has no index on (${fk.columns.join(', ')})`,
          span: fk.origin.span,
          pointer: `${table.key}.${fk.columns.join(',')}`,
          help: `Index (${fk.columns.join(', ')}) so deletes on ${context.name(fk.referencedTable)} and joins to ${tableName(table)} do not scan it. On a live table build it with CREATE INDEX CONCURRENTLY.`,
          fix: {
            description: `Index (${fk.columns.join(', ')})`,
            replacement: `CREATE INDEX ${quote(name)} ON ${tableSql(table)} (${fk.columns.map(quote).join(', ')});`,
          },
        };
      }
    }
  },
};
