import type { DatabaseRule } from '../context.js';

export const rule: DatabaseRule = {
  id: 'database/seq-scan-heavy-table',
  severity: 'warn',
  group: 'queries',
  summary: 'Large tables are mostly read through indexes',
  meaning:
    'A table with many rows that is read mostly by sequential scans (fewer than 95% of scans through an index, as PgHero judges it) is usually missing an index for a frequent query. The slow-query and index-advice findings name the query and the index when they can.',
  async check({ sql, schemaFilter, options }) {
    const minRows = options.minRows ?? 10_000;
    const rows = await sql.unsafe<{ table: string; seq: string; idx: string; live: string; read: string }[]>(`
      SELECT format('%I.%I', s.schemaname, s.relname) AS table, s.seq_scan AS seq, coalesce(s.idx_scan, 0) AS idx,
             s.n_live_tup AS live, s.seq_tup_read AS read
      FROM pg_stat_user_tables s JOIN pg_namespace n ON n.nspname = s.schemaname
      WHERE s.n_live_tup >= ${Number(minRows)} AND s.seq_scan > 0 AND ${schemaFilter}
        AND coalesce(s.idx_scan, 0)::float / (s.seq_scan + coalesce(s.idx_scan, 0)) < 0.95
      ORDER BY s.seq_tup_read DESC`);
    return rows.map((row) => {
      const share = Math.round((100 * Number(row.idx)) / (Number(row.seq) + Number(row.idx)));
      return {
        message: `Table ${row.table} (${row.live} rows) was read by ${row.seq} sequential scans and ${row.idx} index scans (${share}% through indexes)`,
        pointer: row.table,
        help: `Sequential scans read ${row.read} rows in total. Find the queries filtering ${row.table} (pg_stat_statements) and index their WHERE columns; see database/index-advice for measured proposals.`,
      };
    });
  },
};
