import { type DatabaseRule, formatBytes } from '../context.js';

export const rule: DatabaseRule = {
  id: 'database/unused-index',
  severity: 'warn',
  group: 'indexes',
  summary: 'Indexes that no query has used since statistics were reset',
  meaning:
    'An index that is never scanned still costs on every INSERT and UPDATE, in WAL, in backups and in memory. Unique and primary-key indexes enforce rules and are never reported, nor indexes below the size threshold. Statistics are per server: check replicas before dropping an index that only read replicas use.',
  async check({ sql, schemaFilter, options, server }) {
    const minBytes = options.minUnusedIndexBytes ?? 1024 * 1024;
    const rows = await sql.unsafe<{ index: string; table: string; bytes: string }[]>(`
      SELECT format('%I.%I', n.nspname, ci.relname) AS index, format('%I.%I', n.nspname, ct.relname) AS table,
             pg_relation_size(ci.oid) AS bytes
      FROM pg_stat_user_indexes s
      JOIN pg_index i ON i.indexrelid = s.indexrelid
      JOIN pg_class ci ON ci.oid = s.indexrelid
      JOIN pg_class ct ON ct.oid = s.relid
      JOIN pg_namespace n ON n.oid = ci.relnamespace
      WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary AND i.indisvalid AND ${schemaFilter}
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        AND pg_relation_size(ci.oid) >= ${Number(minBytes)}
      ORDER BY pg_relation_size(ci.oid) DESC`);
    const since = server.statsResetAt ? ` since ${server.statsResetAt.toISOString()}` : '';
    return rows.map((row) => ({
      message: `Index ${row.index} on ${row.table} (${formatBytes(Number(row.bytes))}) has not been scanned${since}`,
      pointer: row.index,
      help: `If no replica uses it either, drop it without blocking writes.`,
      fix: { description: `Drop ${row.index}`, replacement: `DROP INDEX CONCURRENTLY ${row.index};` },
    }));
  },
};
