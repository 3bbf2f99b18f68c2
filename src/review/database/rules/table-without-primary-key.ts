import type { DatabaseRule } from '../context.js';

export const rule: DatabaseRule = {
  id: 'database/table-without-primary-key',
  severity: 'error',
  group: 'keys',
  summary: 'Every table has a primary key',
  meaning:
    'A table without a primary key cannot publish UPDATE and DELETE through logical replication, gives ORMs and the API no identity for a row, and usually means duplicates have already crept in.',
  async check({ sql, schemaFilter }) {
    const rows = await sql.unsafe<{ name: string; rows: number }[]>(`
      SELECT format('%I.%I', n.nspname, c.relname) AS name, c.reltuples::bigint AS rows
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${schemaFilter}
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
      ORDER BY 1`);
    return rows.map((row) => ({
      message: `Table ${row.name} has no primary key`,
      pointer: row.name,
      help: `Add a primary key to ${row.name}: promote a unique NOT NULL index with ADD PRIMARY KEY USING INDEX, or add a bigint identity column (on a large table: add the column, backfill, build the unique index CONCURRENTLY, then attach it).`,
    }));
  },
};
