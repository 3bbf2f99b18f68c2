/**
 * SQL identifier helpers shared by the design emitters, the runtime and the review rules.
 */

/**
 * PostgreSQL keywords that cannot be used as a column or table name without quoting
 * ("reserved" and "reserved (can be function or type)" in the SQL Key Words appendix).
 */
export const POSTGRES_RESERVED_WORDS: ReadonlySet<string> = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'authorization',
  'binary',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'collation',
  'column',
  'concurrently',
  'constraint',
  'create',
  'cross',
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'freeze',
  'from',
  'full',
  'grant',
  'group',
  'having',
  'ilike',
  'in',
  'initially',
  'inner',
  'intersect',
  'into',
  'is',
  'isnull',
  'join',
  'lateral',
  'leading',
  'left',
  'like',
  'limit',
  'localtime',
  'localtimestamp',
  'natural',
  'not',
  'notnull',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'outer',
  'overlaps',
  'placing',
  'primary',
  'references',
  'returning',
  'right',
  'select',
  'session_user',
  'similar',
  'some',
  'symmetric',
  'system_user',
  'table',
  'tablesample',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'verbose',
  'when',
  'where',
  'window',
  'with',
]);

export function isReservedWord(name: string): boolean {
  return POSTGRES_RESERVED_WORDS.has(name.toLowerCase());
}

/** PostgreSQL truncates identifiers to 63 bytes. */
export const MAX_IDENTIFIER_LENGTH = 63;

/** Quote an identifier only when it needs it (keeps generated SQL readable). */
export function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !isReservedWord(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote a string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A constraint or index name within PostgreSQL's 63-byte limit: long names keep their head and
 * get a short stable hash, so two long names never truncate to the same identifier.
 */
export function constraintName(...parts: string[]): string {
  const name = parts.join('_');
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  let hash = 0;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  const suffix = hash.toString(36).padStart(7, '0').slice(0, 7);
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length - 1)}_${suffix}`;
}
