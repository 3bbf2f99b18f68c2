/**
 * What a database error says, read the same way from PGlite (`DatabaseError`, node-postgres
 * field names) and postgres.js (`PostgresError`, snake_case field names).
 */

export interface DatabaseErrorInfo {
  /** SQLSTATE, e.g. `23505`. */
  readonly code: string;
  readonly message: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly detail?: string;
}

/** SQLSTATEs worth retrying the whole transaction for. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** Node socket error codes meaning the server cannot be reached right now. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function stringField(error: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = error[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The SQLSTATE and its companions, or undefined when `error` did not come from PostgreSQL. */
export function readDatabaseError(error: unknown): DatabaseErrorInfo | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const fields = error as Record<string, unknown>;
  const code = stringField(fields, 'code');
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  return {
    code,
    message: error instanceof Error ? error.message : String(fields.message ?? ''),
    constraint: stringField(fields, 'constraint', 'constraint_name'),
    table: stringField(fields, 'table', 'table_name'),
    column: stringField(fields, 'column', 'column_name'),
    detail: stringField(fields, 'detail'),
  };
}

/** True for serialization failures and deadlocks: running the transaction again may succeed. */
export function isRetryableDatabaseError(error: unknown): boolean {
  const info = readDatabaseError(error);
  return info !== undefined && RETRYABLE_SQLSTATES.has(info.code);
}

/**
 * True when the database is unreachable or shutting down (connection class 08, admin shutdown
 * 57P01-57P03, too many connections 53300, socket errors): the request may succeed later.
 */
export function isUnavailableDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  if (CONNECTION_ERRNOS.has(code) || code === 'CONNECTION_CLOSED' || code === 'CONNECTION_ENDED') return true;
  if (code === 'CONNECT_TIMEOUT' || code === 'CONNECTION_DESTROYED') return true;
  return (
    code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300'
  );
}
