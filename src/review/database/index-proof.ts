/**
 * Prove index advice before printing it: measure the plan cost of the candidate's query without
 * and with the index. With hypopg the index is hypothetical (nothing is built, nothing locked);
 * without it, and only when explicitly allowed, the real index is built inside a transaction
 * that is rolled back.
 */
import type { Sql } from 'postgres';
import { quoteIdentifier } from '../../sql/identifiers.js';
import type { IndexCandidate } from './index-candidates.js';
import { explainGeneric, type Plan } from './plans.js';

export type ProofMethod = 'hypopg' | 'trial';

export interface ProvenIndex {
  readonly candidate: IndexCandidate;
  readonly method: ProofMethod;
  readonly before: Plan;
  readonly after: Plan;
  readonly query: string;
  /** The statement to run for real (concurrently). */
  readonly createSql: string;
}

class Rollback extends Error {}

function indexDefinition(candidate: IndexCandidate): string {
  const table = candidate.table.split('.').map(quoteIdentifier).join('.');
  return `${table} (${candidate.columns.map(quoteIdentifier).join(', ')})`;
}

export function indexNameFor(candidate: IndexCandidate): string {
  const table = candidate.table.split('.').pop() ?? candidate.table;
  return [table, ...candidate.columns, 'idx'].join('_').slice(0, 63);
}

async function measureWithHypopg(sql: Sql, candidate: IndexCandidate, query: string): Promise<Plan> {
  await sql.unsafe(`SELECT * FROM hypopg_create_index($1)`, [
    `CREATE INDEX ON ${indexDefinition(candidate)}`,
  ]);
  try {
    return await explainGeneric(sql, query);
  } finally {
    await sql.unsafe('SELECT hypopg_reset()');
  }
}

async function measureWithTrial(sql: Sql, candidate: IndexCandidate, query: string): Promise<Plan> {
  let plan: Plan | undefined;
  try {
    await sql.begin('read write', async (tx) => {
      await tx.unsafe("SET LOCAL statement_timeout = '60s'");
      await tx.unsafe("SET LOCAL lock_timeout = '2s'");
      await tx.unsafe(
        `CREATE INDEX ${quoteIdentifier(indexNameFor(candidate))} ON ${indexDefinition(candidate)}`,
      );
      plan = await explainGeneric(tx, query);
      throw new Rollback('measured');
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return plan!;
}

/**
 * Measure each candidate; keep those that cut the first query's plan cost by at least
 * `minSaving` (a fraction) and whose improved plan really uses an index on the table.
 */
export async function proveCandidates(
  sql: Sql,
  candidates: readonly IndexCandidate[],
  method: ProofMethod,
  minSaving: number,
): Promise<ProvenIndex[]> {
  const proven: ProvenIndex[] = [];
  for (const candidate of candidates) {
    const query = candidate.queries[0];
    if (!query) continue;
    try {
      const before = await explainGeneric(sql, query);
      const after =
        method === 'hypopg'
          ? await measureWithHypopg(sql, candidate, query)
          : await measureWithTrial(sql, candidate, query);
      if (after.totalCost > before.totalCost * (1 - minSaving) || after.indexes.length === 0) continue;
      proven.push({
        candidate,
        method,
        before,
        after,
        query,
        createSql: `CREATE INDEX CONCURRENTLY ${quoteIdentifier(indexNameFor(candidate))} ON ${indexDefinition(candidate)};`,
      });
    } catch {
      // A query that cannot be prepared here (temp tables, another search_path) is skipped, not guessed.
    }
  }
  return proven;
}
