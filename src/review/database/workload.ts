/**
 * The queries the review reasons about: the heaviest statements from pg_stat_statements (when the
 * extension is loaded and readable), plus queries the caller passes in.
 */
import type { DatabaseContext } from './context.js';

export interface WorkloadQuery {
  readonly query: string;
  readonly calls?: number;
  readonly meanMs?: number;
  readonly totalMs?: number;
  readonly source: 'pg_stat_statements' | 'caller';
}

export async function statStatements(context: DatabaseContext, limit = 20): Promise<WorkloadQuery[]> {
  if (!context.server.hasStatStatements) return [];
  const rows = await context.sql.unsafe<{ query: string; calls: string; mean: number; total: number }[]>(`
    SELECT s.query, s.calls, s.mean_exec_time AS mean, s.total_exec_time AS total
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE d.datname = current_database() AND s.query ~* '^\\s*(select|update|delete|with)\\s'
      AND s.query !~* 'pg_catalog|pg_stat|information_schema'
    ORDER BY s.total_exec_time DESC LIMIT ${Number(limit)}`);
  return rows.map((row) => ({
    query: row.query,
    calls: Number(row.calls),
    meanMs: Number(row.mean),
    totalMs: Number(row.total),
    source: 'pg_stat_statements' as const,
  }));
}

export async function workload(context: DatabaseContext): Promise<WorkloadQuery[]> {
  const given = (context.options.queries ?? []).map((query) => ({ query, source: 'caller' as const }));
  return [...given, ...(await statStatements(context))];
}
