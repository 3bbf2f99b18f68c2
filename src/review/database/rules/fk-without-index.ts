import { quoteIdentifier } from '../../../sql/identifiers.js';
import type { DatabaseRule } from '../context.js';

export const rule: DatabaseRule = {
  id: 'database/fk-without-index',
  severity: 'warn',
  group: 'indexes',
  summary: 'Foreign-key columns lead some index',
  meaning:
    'Without an index led by the foreign-key columns, every DELETE or key UPDATE on the referenced table scans the referencing table, and joins from parent to children scan it too. The index advice (database/index-advice) measures what the index would save.',
  async check({ sql, schemaFilter }) {
    const rows = await sql.unsafe<
      { table: string; constraint: string; columns: string[]; referenced: string; size: string }[]
    >(`
      SELECT format('%I.%I', n.nspname, c.relname) AS table, k.conname AS constraint,
             array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS columns,
             k.confrelid::regclass::text AS referenced,
             pg_size_pretty(pg_total_relation_size(c.oid)) AS size
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND NOT c.relispartition AND ${schemaFilter}
        AND NOT EXISTS (
          SELECT 1 FROM pg_index i
          WHERE i.indrelid = k.conrelid AND i.indpred IS NULL
            AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] @> k.conkey
            AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] <@ k.conkey)
      ORDER BY 1, 2`);
    return rows.map((row) => ({
      message: `Foreign key ${row.constraint} on ${row.table} (${row.columns.join(', ')}) has no index (table ${row.size})`,
      pointer: `${row.table}.${row.columns.join(',')}`,
      help: `Deletes on ${row.referenced} scan ${row.table} to check the reference. Build the index without blocking writes.`,
      fix: {
        description: `Index (${row.columns.join(', ')})`,
        replacement: `CREATE INDEX CONCURRENTLY ON ${row.table} (${row.columns.map(quoteIdentifier).join(', ')});`,
      },
    }));
  },
};
