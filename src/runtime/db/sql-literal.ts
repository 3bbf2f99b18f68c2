/**
 * Parameter values written as SQL literals, for the few places that must send a statement and
 * its values in one simple-protocol message (`EXECUTE name('...')` after the tenant wall's
 * `SET LOCAL`s). Strings are quoted the way libpq's `PQescapeLiteral` does it: quotes doubled,
 * and when a backslash is present, an `E'...'` literal with backslashes doubled too, which reads
 * the same whatever `standard_conforming_strings` says. Every literal is quoted, numbers too, so
 * that the server types it from its place in the statement, as it types an untyped parameter.
 */

/**
 * `('a', '2', NULL)`, the arguments of `EXECUTE name(...)` (empty without values), or
 * `undefined` when a value is not one a literal here may carry: objects, nested arrays, dates,
 * bytes, `undefined`, non-finite numbers and strings holding NUL (which would end the message
 * early). The caller then sends the values as protocol parameters instead.
 */
export function literalArguments(values: readonly unknown[] | undefined): string | undefined {
  if (!values || values.length === 0) return '';
  const literals: string[] = [];
  for (const value of values) {
    const literal = sqlLiteral(value);
    if (literal === undefined) return undefined;
    literals.push(literal);
  }
  return `(${literals.join(', ')})`;
}

/** One value as a literal: a scalar, `NULL`, or a one-dimensional array of them. */
export function sqlLiteral(value: unknown): string | undefined {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return arrayLiteral(value);
  const text = scalarText(value);
  return text === undefined ? undefined : quoteString(text);
}

/** A scalar's text, as postgres.js would send it as a parameter. */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.includes('\0') ? undefined : value;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      return undefined;
  }
}

/** The text of a PostgreSQL array (`'{"a","b",NULL}'`): each element double-quoted, `"` and `\` escaped. */
function arrayLiteral(values: readonly unknown[]): string | undefined {
  const elements: string[] = [];
  for (const value of values) {
    const text = value === null ? null : scalarText(value);
    if (text === undefined) return undefined;
    elements.push(text === null ? 'NULL' : `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
  }
  return quoteString(`{${elements.join(',')}}`);
}

function quoteString(text: string): string {
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}
