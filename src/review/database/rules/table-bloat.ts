import { type DatabaseRule, formatBytes } from '../context.js';

/**
 * Estimate from statistics, without reading the table (the well-known pgsql-bloat-estimation
 * approach): expected size = rows x (tuple header + average row width), padded to pages with
 * the fillfactor; bloat is the excess of the real size over it.
 */
export const rule: DatabaseRule = {
  id: 'database/table-bloat',
  severity: 'info',
  group: 'health',
  summary: 'Tables are not much larger than their live rows need',
  meaning:
    'Dead row versions that autovacuum has not reclaimed, or a past mass UPDATE/DELETE, leave a table larger than its live rows need: sequential scans read the empty space and the cache holds it. The estimate comes from pg_stats (run ANALYZE first) and is reported past 50% and 10 MB of estimated waste. pg_repack reclaims the space online; tuning autovacuum keeps it from growing back.',
  async check({ sql, schemaFilter, options }) {
    const minRows = options.minRows ?? 10_000;
    const rows = await sql.unsafe<{ table: string; real: string; expected: string }[]>(`
      WITH widths AS (
        SELECT s.schemaname, s.tablename, sum((1 - s.null_frac) * s.avg_width) AS width
        FROM pg_stats s GROUP BY 1, 2),
      sizes AS (
        SELECT format('%I.%I', n.nspname, c.relname) AS table, c.relpages::bigint * current_setting('block_size')::int AS real,
               ceil(c.reltuples * (24 + 4 + w.width)
                    / (current_setting('block_size')::int * coalesce(
                        (SELECT substring(o FROM 'fillfactor=(\\d+)')::int FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%'), 100) / 100.0 - 24))
               * current_setting('block_size')::int AS expected
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN widths w ON w.schemaname = n.nspname AND w.tablename = c.relname
        WHERE c.relkind = 'r' AND c.reltuples >= ${Number(minRows)} AND ${schemaFilter})
      SELECT * FROM sizes WHERE real - expected > 10 * 1024 * 1024 AND real > 2 * expected ORDER BY real - expected DESC`);
    return rows.map((row) => {
      const real = Number(row.real);
      const expected = Number(row.expected);
      return {
        message: `Table ${row.table} is about ${formatBytes(real)} but its live rows need about ${formatBytes(expected)} (${Math.round((100 * (real - expected)) / real)}% estimated bloat)`,
        pointer: row.table,
        help: `Reclaim the space online with pg_repack (VACUUM FULL would lock ${row.table} for the whole rewrite), then make autovacuum more aggressive for it (autovacuum_vacuum_scale_factor).`,
      };
    });
  },
};
