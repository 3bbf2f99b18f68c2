/**
 * Plan costs for a query, whatever its parameters: the query is prepared and its generic plan is
 * explained (EXPLAIN never executes it). Works on PostgreSQL 12+, where plan_cache_mode exists.
 */
import { type Node, parse } from 'libpg-query';
import type { Sql, TransactionSql } from 'postgres';
import { walk } from '../sql-parse/ast.js';

type Connection = Sql | TransactionSql;

/** Highest `$n` placeholder in the query. */
export async function parameterCount(query: string): Promise<number> {
  const tree = await parse(query);
  let highest = 0;
  walk(tree.stmts as unknown as Node[], (kind, payload) => {
    if (kind === 'ParamRef') highest = Math.max(highest, Number(payload.number ?? 0));
  });
  return highest;
}

let counter = 0;

export interface Plan {
  readonly totalCost: number;
  /** The plan as EXPLAIN prints it (text format), for help texts. */
  readonly text: string;
  /** Index names the plan uses. */
  readonly indexes: string[];
}

/** EXPLAIN the generic plan of `query` on the given connection (inside the caller's transaction). */
export async function explainGeneric(sql: Connection, query: string): Promise<Plan> {
  const params = await parameterCount(query);
  const name = `architect_plan_${process.pid}_${++counter}`;
  await sql.unsafe(`PREPARE ${name} AS ${query}`);
  try {
    await sql.unsafe('SET plan_cache_mode = force_generic_plan');
    const args = params > 0 ? `(${Array.from({ length: params }, () => 'NULL').join(', ')})` : '';
    const json = await sql.unsafe(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${args}`);
    const textRows = await sql.unsafe(`EXPLAIN EXECUTE ${name}${args}`);
    const root = (json[0] as unknown as { 'QUERY PLAN': { Plan: Record<string, unknown> }[] })[
      'QUERY PLAN'
    ][0]!.Plan;
    const indexes: string[] = [];
    const visit = (plan: Record<string, unknown>) => {
      if (typeof plan['Index Name'] === 'string') indexes.push(plan['Index Name']);
      for (const child of (plan.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
    };
    visit(root);
    return {
      totalCost: Number(root['Total Cost']),
      text: textRows.map((row) => String((row as Record<string, unknown>)['QUERY PLAN'])).join('\n'),
      indexes,
    };
  } finally {
    await sql.unsafe('RESET plan_cache_mode');
    await sql.unsafe(`DEALLOCATE ${name}`);
  }
}
