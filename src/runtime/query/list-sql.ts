/**
 * SELECT builders for collections: the page query (keyset pagination), the optional exact count,
 * and the include queries (one per relation level, never one per row).
 */
import type { Field } from '../../blueprint/model.js';
import { type EntityPlan, ROW_ALIAS } from './entity-plan.js';
import { renderFilter } from './filters.js';
import type { ListRequest, SortKey } from './list-request.js';
import {
  type AuthorizationScope,
  Binder,
  qualified,
  type SqlQuery,
  scopeClause,
  whereClause,
} from './sql.js';

export interface ListContext {
  /** Values of the collection path parameters (the parent key of nested entities). */
  readonly parentValues?: readonly unknown[];
  readonly scope?: AuthorizationScope;
}

/** The columns a page query must read: requested fields, sort columns, include join columns. */
export function listColumns(
  plan: EntityPlan,
  request: ListRequest,
  joinFields: readonly Field[] = [],
): Field[] {
  if (!request.fields) return plan.fields as Field[];
  const needed = new Set<Field>([...request.fields, ...request.sort.map((key) => key.field), ...joinFields]);
  return plan.fields.filter((field) => needed.has(field));
}

function baseConditions(
  plan: EntityPlan,
  request: ListRequest,
  context: ListContext,
  binder: Binder,
): string[] {
  const conditions: (string | undefined)[] = [];
  plan.collectionParams.forEach((param, index) => {
    const value = plan.toParam(param.field, context.parentValues?.[index]);
    conditions.push(`${qualified(ROW_ALIAS, param.column)} = ${plan.cast(param.field, binder.bind(value))}`);
  });
  conditions.push(plan.live());
  for (const filter of request.filters) conditions.push(renderFilter(filter, plan, binder, ROW_ALIAS));
  if (request.search !== undefined && plan.entity.search) {
    conditions.push(
      `${qualified(ROW_ALIAS, plan.entity.search.column)} @@ websearch_to_tsquery('simple', ${binder.bind(request.search)})`,
    );
  }
  conditions.push(scopeClause(context.scope, ROW_ALIAS, binder, plan.entity.name));
  return conditions.filter((condition): condition is string => Boolean(condition));
}

/**
 * The keyset condition "after the cursor row" for the sort. With one direction and no nullable
 * column it is a row-value comparison `(a, id) > ($1, $2)` that a btree index serves directly;
 * otherwise the equivalent expansion, with NULLs last ascending and first descending (PostgreSQL's
 * defaults, so the same index still serves the ORDER BY).
 */
export function keysetCondition(
  plan: EntityPlan,
  sort: readonly SortKey[],
  after: readonly unknown[],
  binder: Binder,
): string {
  const column = (key: SortKey) => qualified(ROW_ALIAS, key.field.column);
  const param = (key: SortKey, index: number) =>
    plan.cast(key.field, binder.bind(plan.toParam(key.field, after[index])));
  const uniform = sort.every((key) => key.descending === sort[0]!.descending && !key.field.nullable);
  if (uniform) {
    const operator = sort[0]!.descending ? '<' : '>';
    if (sort.length === 1) return `${column(sort[0]!)} ${operator} ${param(sort[0]!, 0)}`;
    return `(${sort.map(column).join(', ')}) ${operator} (${sort.map(param).join(', ')})`;
  }
  const placeholders = sort.map((key, index) => (after[index] === null ? null : param(key, index)));
  const equal = (key: SortKey, index: number) =>
    placeholders[index] === null ? `${column(key)} IS NULL` : `${column(key)} = ${placeholders[index]}`;
  const beyond = (key: SortKey, index: number): string | undefined => {
    const placeholder = placeholders[index];
    if (key.descending) {
      return placeholder === null ? `${column(key)} IS NOT NULL` : `${column(key)} < ${placeholder}`;
    }
    if (placeholder === null) return undefined; // nothing sorts after NULL ascending
    return key.field.nullable
      ? `(${column(key)} > ${placeholder} OR ${column(key)} IS NULL)`
      : `${column(key)} > ${placeholder}`;
  };
  const branches: string[] = [];
  sort.forEach((key, index) => {
    const last = beyond(key, index);
    if (!last) return;
    const prefix = sort.slice(0, index).map(equal);
    branches.push(prefix.length ? `(${[...prefix, last].join(' AND ')})` : last);
  });
  return branches.length ? `(${branches.join(' OR ')})` : 'false';
}

export function orderBy(sort: readonly SortKey[]): string {
  return sort
    .map((key) => `${qualified(ROW_ALIAS, key.field.column)}${key.descending ? ' DESC' : ''}`)
    .join(', ');
}

/**
 * The page query: reads `limit + 1` rows so the caller knows whether a next page exists.
 *
 * @example
 * ```ts
 * const { text, values } = buildListQuery(plan, request, { scope });
 * const { rows } = await driver.query(text, values);
 * ```
 */
export function buildListQuery(
  plan: EntityPlan,
  request: ListRequest,
  context: ListContext = {},
  columns: readonly Field[] = listColumns(plan, request),
): SqlQuery {
  const binder = new Binder();
  const conditions = baseConditions(plan, request, context, binder);
  if (request.after) conditions.push(keysetCondition(plan, request.sort, request.after, binder));
  const select = columns === plan.fields ? plan.selectAll : plan.selectList(columns);
  return binder.query(
    `SELECT ${select} FROM ${plan.table} ${ROW_ALIAS}${whereClause(conditions)} ORDER BY ${orderBy(request.sort)} LIMIT ${request.limit + 1}`,
  );
}

/** The exact count for `count=true`: the same filters, no cursor. */
export function buildCountQuery(plan: EntityPlan, request: ListRequest, context: ListContext = {}): SqlQuery {
  const binder = new Binder();
  const conditions = baseConditions(plan, request, context, binder);
  return binder.query(`SELECT count(*) AS count FROM ${plan.table} ${ROW_ALIAS}${whereClause(conditions)}`);
}

/**
 * Rows of `target` whose key is one of `keys` (a many-to-one include), in one query.
 * `keyField` is the target's key field.
 */
export function buildIncludeOneQuery(
  target: EntityPlan,
  keys: readonly unknown[],
  scope?: AuthorizationScope,
): SqlQuery {
  const binder = new Binder();
  const keyField = target.keyFields[0]!;
  const keyParam = binder.bind(keys.map((key) => target.toParam(keyField, key)));
  const conditions = [
    `${qualified(ROW_ALIAS, keyField.column)} = ANY(${target.cast(keyField, keyParam)}[])`,
    target.live(),
    scopeClause(scope, ROW_ALIAS, binder, target.entity.name),
  ];
  return binder.query(
    `SELECT ${target.selectAll} FROM ${target.table} ${ROW_ALIAS}${whereClause(conditions)}`,
  );
}

/**
 * Rows of `target` that reference one of `parentKeys` through `referencing` (a one-to-many
 * include), at most `perParent` per parent in key order: one query, a LATERAL subquery per parent
 * key that the foreign-key index serves.
 */
export function buildIncludeManyQuery(
  target: EntityPlan,
  referencing: Field,
  parentKeys: readonly unknown[],
  perParent: number,
  scope?: AuthorizationScope,
): SqlQuery {
  const binder = new Binder();
  const keysParam = binder.bind(parentKeys.map((key) => target.toParam(referencing, key)));
  const conditions = [
    `${qualified(ROW_ALIAS, referencing.column)} = parent.key`,
    target.live(),
    scopeClause(scope, ROW_ALIAS, binder, target.entity.name),
  ];
  const order = target.keyFields.map((field) => qualified(ROW_ALIAS, field.column)).join(', ');
  return binder.query(
    `SELECT included.* FROM unnest(${target.cast(referencing, keysParam)}[]) AS parent(key) CROSS JOIN LATERAL (SELECT ${target.selectAll} FROM ${target.table} ${ROW_ALIAS}${whereClause(conditions)} ORDER BY ${order} LIMIT ${perParent}) included`,
  );
}
