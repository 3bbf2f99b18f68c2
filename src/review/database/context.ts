/**
 * What a live-database rule sees: a read-only connection, what the server offers (hypopg,
 * pg_stat_statements, version) and the review's thresholds.
 */
import type { Sql } from 'postgres';
import type { RuleDefinition, RuleHit } from '../sql-parse/rule.js';

export interface DatabaseReviewOptions {
  readonly databaseUrl: string;
  /**
   * Without hypopg, prove index advice by creating the real index inside a transaction, running
   * EXPLAIN and rolling back. The build holds a SHARE lock (writes wait) for its duration: use it
   * only on a non-production database. Default false.
   */
  readonly allowIndexTrial?: boolean;
  /** Extra queries to advise indexes for (e.g. the API's query patterns), besides pg_stat_statements. */
  readonly queries?: readonly string[];
  /** Schemas to review; default every non-system schema. */
  readonly schemas?: readonly string[];
  /** Tables with fewer live rows are not judged on scans or bloat (default 10,000). */
  readonly minRows?: number;
  /** Indexes smaller than this are never "unused" (default 1 MiB). */
  readonly minUnusedIndexBytes?: number;
  /** Index advice is printed when it cuts the plan cost by at least this fraction (default 0.5). */
  readonly minCostSaving?: number;
}

export interface ServerFacts {
  readonly versionNumber: number;
  readonly hasHypopg: boolean;
  readonly hasStatStatements: boolean;
  readonly statsResetAt?: Date;
}

export interface DatabaseContext {
  readonly sql: Sql;
  readonly server: ServerFacts;
  readonly options: DatabaseReviewOptions;
  /** SQL condition on a `nspname` column limiting the review to the chosen schemas. */
  readonly schemaFilter: string;
  /** `postgres://host:port/db`, never the password: the findings' file. */
  readonly location: string;
}

export interface DatabaseRule extends RuleDefinition {
  check(context: DatabaseContext): Promise<RuleHit[]>;
}

/** Bytes as a short human size, for messages. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
