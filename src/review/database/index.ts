/**
 * Live database review: reads the catalog and statistics of a running PostgreSQL server (never
 * writes, unless `allowIndexTrial` is given) and reports unused, duplicate, invalid and missing
 * indexes, tables read by sequential scans, bloat, sequences near their limit, tables without
 * primary keys, slow queries, and index advice proven by a lower plan cost.
 *
 * @example
 *   const findings = await reviewDatabase({ databaseUrl: process.env.DATABASE_URL! });
 */
import postgres from 'postgres';
import type { Finding } from '../finding.js';
import { metaOf, type RuleMeta, toFinding } from '../sql-parse/rule.js';
import type { DatabaseContext, DatabaseReviewOptions, ServerFacts } from './context.js';
import { DATABASE_RULES } from './rules/index.js';

export type { DatabaseReviewOptions, DatabaseRule } from './context.js';
export { DATABASE_RULES } from './rules/index.js';

/** Public metadata of every live-database rule. */
export const RULES: RuleMeta[] = DATABASE_RULES.map(metaOf);

/** `postgres://host:port/db`: where findings point, without user or password. */
export function databaseLocation(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `postgres://${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'postgres://database';
  }
}

async function serverFacts(sql: postgres.Sql): Promise<ServerFacts> {
  const [row] = await sql.unsafe<{ version: string; hypopg: boolean; pss: boolean; reset: Date | null }[]>(`
    SELECT current_setting('server_version_num') AS version,
           EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg') AS hypopg,
           EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS pss,
           (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS reset`);
  let hasStatStatements = row?.pss === true;
  if (hasStatStatements) {
    // Created but not in shared_preload_libraries: the view exists and errors when read.
    hasStatStatements = await sql
      .unsafe('SELECT 1 FROM pg_stat_statements LIMIT 1')
      .then(() => true)
      .catch(() => false);
  }
  return {
    versionNumber: Number(row?.version ?? 0),
    hasHypopg: row?.hypopg === true,
    hasStatStatements,
    ...(row?.reset ? { statsResetAt: row.reset } : {}),
  };
}

function schemaFilter(schemas: readonly string[] | undefined): string {
  if (schemas && schemas.length > 0) {
    const list = schemas.map((schema) => `'${schema.replaceAll("'", "''")}'`).join(', ');
    return `n.nspname IN (${list})`;
  }
  return "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'";
}

export async function reviewDatabase(options: DatabaseReviewOptions): Promise<Finding[]> {
  const sql = postgres(options.databaseUrl, {
    max: 1,
    onnotice: () => {},
    // Every statement of the review is read-only unless the index trial opens a read-write one.
    connection: { default_transaction_read_only: true, application_name: 'architect-review' },
  });
  try {
    const context: DatabaseContext = {
      sql,
      server: await serverFacts(sql),
      options,
      schemaFilter: schemaFilter(options.schemas),
      location: databaseLocation(options.databaseUrl),
    };
    const findings: Finding[] = [];
    for (const rule of DATABASE_RULES) {
      for (const hit of await rule.check(context)) findings.push(toFinding(rule, context.location, hit));
    }
    return findings;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
