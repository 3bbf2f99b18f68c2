/**
 * Which default expressions PostgreSQL evaluates once (stored as the "missing value", no
 * rewrite, PostgreSQL 11+) and which force a table rewrite (volatile: a value per row).
 */
import { calledFunctions, type Node } from '../../sql-parse/ast.js';

/** Built-in functions that are immutable or stable: evaluated once for ADD COLUMN ... DEFAULT. */
const NOT_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
  'session_user',
  'current_schema',
  'svfop_current_date',
  'svfop_current_time',
  'svfop_current_time_n',
  'svfop_current_timestamp',
  'svfop_current_timestamp_n',
  'svfop_localtime',
  'svfop_localtime_n',
  'svfop_localtimestamp',
  'svfop_localtimestamp_n',
  'svfop_current_user',
  'svfop_session_user',
  'svfop_current_role',
  'svfop_user',
  'svfop_current_catalog',
  'svfop_current_schema',
  'lower',
  'upper',
  'coalesce',
  'nullif',
  'greatest',
  'least',
  'abs',
  'round',
  'length',
  'concat',
  'to_char',
  'to_timestamp',
  'to_date',
  'make_interval',
  'make_date',
  'date_trunc',
  'jsonb_build_object',
  'json_build_object',
  'jsonb_build_array',
  'json_build_array',
  'array_fill',
  'md5',
  'timezone',
]);

/** Volatile functions used in the expression, or functions of unknown volatility (user-defined). */
export function volatileCalls(expression: Node | undefined): string[] {
  return calledFunctions(expression).filter((name) => !NOT_VOLATILE.has(name));
}
