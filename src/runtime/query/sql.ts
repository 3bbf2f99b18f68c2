/**
 * The small SQL vocabulary every builder in this folder shares: a query is `{ text, values }`
 * with `$n` placeholders, and a `Binder` hands out the next placeholder for a value.
 */
import { quoteIdentifier } from '../../sql/identifiers.js';

/** A statement ready for `Queryable.query(text, values)`. */
export interface SqlQuery {
  readonly text: string;
  readonly values: unknown[];
}

/** Collects parameter values; `bind(value)` returns the placeholder (`$3`) to write in the text. */
export class Binder {
  readonly values: unknown[];

  constructor(values: unknown[] = []) {
    this.values = values;
  }

  bind = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };

  query(text: string): SqlQuery {
    return { text, values: this.values };
  }
}

/**
 * An authorization scope: an extra predicate (tenant, owner, row rules) that the security layer
 * passes in and every builder ANDs into lists, counts, item reads, writes, bulk, transitions and
 * includes. It renders against a table alias and binds its own values, so it composes with the
 * builder's placeholders.
 *
 * @example
 * ```ts
 * const ownRows: AuthorizationScope = {
 *   predicate: (alias, bind) => `${alias}.owner_id = ${bind(principal.id)}`,
 * };
 * ```
 */
export interface AuthorizationScope {
  /** Which entity's rows this call covers is given, so one scope object can serve every table. */
  predicate(alias: string, bind: (value: unknown) => string, entity: string): string | undefined;
}

/** `t.col`: a column of the aliased table, quoted when it needs to be. */
export function qualified(alias: string, column: string): string {
  return `${alias}.${quoteIdentifier(column)}`;
}

/**
 * The version(s) an `If-Match` names: one, or a list of which any may match (RFC 9110 §13.1.1).
 */
export type ExpectedVersion = number | readonly number[];

/** `t.version = $3::integer`, or `= ANY($3::integer[])` for a list; `undefined` without one. */
export function versionCondition(
  binder: Binder,
  alias: string,
  expected: ExpectedVersion | undefined,
): string | undefined {
  if (expected === undefined) return undefined;
  const column = qualified(alias, 'version');
  return typeof expected === 'number'
    ? `${column} = ${binder.bind(expected)}::integer`
    : `${column} = ANY(${binder.bind(expected)}::integer[])`;
}

/** A JSON property as a quoted output name (`"reorderPoint"`). */
export function quotedName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Render `scope` for one entity and alias, or nothing when there is no scope. */
export function scopeClause(
  scope: AuthorizationScope | undefined,
  alias: string,
  binder: Binder,
  entity: string,
): string | undefined {
  if (!scope) return undefined;
  const predicate = scope.predicate(alias, binder.bind, entity);
  return predicate ? `(${predicate})` : undefined;
}

/** `WHERE a AND b`, or an empty string. */
export function whereClause(conditions: readonly (string | undefined)[]): string {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  return present.length === 0 ? '' : ` WHERE ${present.join(' AND ')}`;
}

/**
 * `{"a",NULL,"b"}`: values as one PostgreSQL array literal, each element quoted (valid input for
 * every element type) and NULL for null. Bound as one text parameter cast to the column's array
 * type, it reads the same on both drivers, whatever JavaScript type the values have (postgres.js
 * types a JavaScript array by its first element and sends an array of booleans as a boolean).
 */
export function arrayLiteral(values: readonly unknown[]): string {
  let text = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) text += ',';
    text +=
      value === null || value === undefined
        ? 'NULL'
        : `"${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  }
  return `${text}}`;
}
