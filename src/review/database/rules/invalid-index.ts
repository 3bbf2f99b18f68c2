import type { DatabaseRule } from '../context.js';

export const rule: DatabaseRule = {
  id: 'database/invalid-index',
  severity: 'error',
  group: 'indexes',
  summary: 'No INVALID indexes left by failed concurrent builds',
  meaning:
    'A CREATE INDEX CONCURRENTLY (or REINDEX CONCURRENTLY) that failed leaves an INVALID index: queries never use it, yet every write still maintains it, and a unique one still rejects duplicates. Drop it and build it again. Builds still in progress are not reported.',
  async check({ sql, schemaFilter }) {
    const rows = await sql.unsafe<{ index: string; table: string }[]>(`
      SELECT format('%I.%I', n.nspname, c.relname) AS index, i.indrelid::regclass::text AS table
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT i.indisvalid AND ${schemaFilter}
        AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
      ORDER BY 1`);
    return rows.map((row) => ({
      message: `Index ${row.index} on ${row.table} is INVALID`,
      pointer: row.index,
      help: 'Drop the invalid index and build it again concurrently (or REINDEX INDEX CONCURRENTLY it).',
      fix: { description: `Drop ${row.index}`, replacement: `DROP INDEX CONCURRENTLY ${row.index};` },
    }));
  },
};
