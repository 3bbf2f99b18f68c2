import type { DatabaseRule } from '../context.js';

export const rule: DatabaseRule = {
  id: 'database/duplicate-index',
  severity: 'warn',
  group: 'indexes',
  summary: 'No index duplicates another or is a leading prefix of it',
  meaning:
    'An index whose key columns, operator classes and predicate are the same as, or a leading prefix of, another B-tree index on the same table serves no query the other cannot. Unique indexes are kept (they enforce something) unless the other is identical and unique too.',
  async check({ sql, schemaFilter }) {
    const rows = await sql.unsafe<{ index: string; covering: string; table: string; definition: string }[]>(`
      WITH idx AS (
        SELECT i.indexrelid, i.indrelid, i.indisunique, i.indkey::int2[] AS keys, i.indclass::oid[] AS classes,
               coalesce(pg_get_expr(i.indexprs, i.indrelid), '') AS exprs,
               coalesce(pg_get_expr(i.indpred, i.indrelid), '') AS pred, am.amname
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE i.indisvalid AND ${schemaFilter})
      SELECT a.indexrelid::regclass::text AS index, b.indexrelid::regclass::text AS covering,
             a.indrelid::regclass::text AS table, pg_get_indexdef(a.indexrelid) AS definition
      FROM idx a JOIN idx b ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid
        AND a.amname = 'btree' AND b.amname = 'btree' AND a.pred = b.pred AND a.exprs = b.exprs
        AND b.keys[0:array_length(a.keys, 1) - 1] = a.keys[0:array_length(a.keys, 1) - 1]
        AND b.classes[0:array_length(a.classes, 1) - 1] = a.classes[0:array_length(a.classes, 1) - 1]
      WHERE (NOT a.indisunique OR (b.indisunique AND array_length(a.keys, 1) = array_length(b.keys, 1)))
        AND (array_length(a.keys, 1) < array_length(b.keys, 1) OR a.indexrelid > b.indexrelid)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = a.indexrelid)
      ORDER BY 1`);
    return rows.map((row) => ({
      message: `Index ${row.index} on ${row.table} is covered by ${row.covering}`,
      pointer: row.index,
      help: `${row.covering} serves every query ${row.index} serves (${row.definition}). Drop ${row.index} without blocking writes.`,
      fix: { description: `Drop ${row.index}`, replacement: `DROP INDEX CONCURRENTLY ${row.index};` },
    }));
  },
};
