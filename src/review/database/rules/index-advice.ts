import { quoteIdentifier } from '../../../sql/identifiers.js';
import type { DatabaseRule } from '../context.js';
import { candidatesFromQuery, type IndexCandidate } from '../index-candidates.js';
import { proveCandidates } from '../index-proof.js';
import { workload } from '../workload.js';

/** Foreign keys without an index: the query each parent DELETE runs against the child. */
async function foreignKeyCandidates(
  context: Parameters<DatabaseRule['check']>[0],
): Promise<IndexCandidate[]> {
  const rows = await context.sql.unsafe<{ table: string; columns: string[]; referenced: string }[]>(`
    SELECT format('%I.%I', n.nspname, c.relname) AS table, k.confrelid::regclass::text AS referenced,
           array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS columns
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND NOT c.relispartition AND ${context.schemaFilter}
      AND NOT EXISTS (
        SELECT 1 FROM pg_index i WHERE i.indrelid = k.conrelid AND i.indpred IS NULL
          AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] @> k.conkey
          AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] <@ k.conkey)`);
  return rows.map((row) => {
    const where = row.columns.map((column, i) => `${quoteIdentifier(column)} = $${i + 1}`).join(' AND ');
    return {
      table: row.table.replaceAll('"', ''),
      columns: row.columns,
      queries: [`SELECT 1 FROM ${row.table} WHERE ${where}`],
      reason: `every DELETE on ${row.referenced} looks up ${row.table} by (${row.columns.join(', ')})`,
    };
  });
}

/** Leading key columns of every valid index, per table, to skip candidates an index already serves. */
async function existingIndexes(
  context: Parameters<DatabaseRule['check']>[0],
): Promise<Map<string, string[][]>> {
  const rows = await context.sql.unsafe<{ table: string; columns: string[] }[]>(`
    SELECT c.relname AS table, array(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE i.indisvalid AND i.indpred IS NULL`);
  const byTable = new Map<string, string[][]>();
  for (const row of rows) byTable.set(row.table, [...(byTable.get(row.table) ?? []), row.columns]);
  return byTable;
}

export const rule: DatabaseRule = {
  id: 'database/index-advice',
  severity: 'info',
  group: 'queries',
  summary: 'Index proposals, each proven by a lower plan cost',
  meaning:
    "Candidate indexes come from foreign keys without an index (the lookup every parent DELETE runs), from the heaviest queries in pg_stat_statements, and from queries passed to the review. Each candidate is measured before it is printed: the query's generic plan is explained without and with the index, using a hypothetical index (hypopg) when installed, or, only with --allow-index-trial on a non-production database, a real index built in a transaction that is rolled back. Only candidates that cut the cost by at least half, with a plan that uses them, are reported.",
  async check(context) {
    const candidates: IndexCandidate[] = [...(await foreignKeyCandidates(context))];
    for (const entry of await workload(context)) candidates.push(...(await candidatesFromQuery(entry.query)));
    const existing = await existingIndexes(context);
    const seen = new Set<string>();
    const fresh = candidates.filter((candidate) => {
      const key = `${candidate.table}|${candidate.columns.join(',')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      const tableName = candidate.table.split('.').pop()!;
      return !(existing.get(tableName) ?? []).some((columns) =>
        candidate.columns.every((column, i) => columns[i] === column),
      );
    });
    if (fresh.length === 0) return [];
    const method = context.server.hasHypopg
      ? 'hypopg'
      : context.options.allowIndexTrial
        ? 'trial'
        : undefined;
    if (!method) {
      return [
        {
          message: `${fresh.length} index candidate${fresh.length > 1 ? 's were' : ' was'} not measured: hypopg is not installed and --allow-index-trial was not given`,
          help: `Install hypopg (Debian: postgresql-<version>-hypopg; then CREATE EXTENSION hypopg) to measure candidates without building them, or, on a non-production copy only, pass --allow-index-trial. Candidates: ${fresh.map((c) => `${c.table} (${c.columns.join(', ')})`).join('; ')}.`,
        },
      ];
    }
    const proven = await proveCandidates(context.sql, fresh, method, context.options.minCostSaving ?? 0.5);
    return proven.map((advice) => {
      const saving = 100 * (1 - advice.after.totalCost / advice.before.totalCost);
      const how =
        advice.method === 'hypopg'
          ? 'a hypothetical index (hypopg)'
          : 'a real index built in a rolled-back transaction';
      return {
        message: `Index on ${advice.candidate.table} (${advice.candidate.columns.join(', ')}) cuts the plan cost from ${advice.before.totalCost.toFixed(2)} to ${advice.after.totalCost.toFixed(2)} (-${saving.toFixed(1)}%)`,
        pointer: `${advice.candidate.table}.${advice.candidate.columns.join(',')}`,
        help: `Why: ${advice.candidate.reason}. Measured with ${how} on: ${advice.query}\nPlan before:\n${advice.before.text}\nPlan after:\n${advice.after.text}`,
        fix: { description: 'Build the index without blocking writes', replacement: advice.createSql },
      };
    });
  },
};
