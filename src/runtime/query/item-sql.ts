/**
 * Statements for one item: read by key, insert, update (optimistic version check in the WHERE
 * clause), delete (soft where configured). Audited entities get their audit row in the same
 * statement (a CTE), and the before image is read with `FOR UPDATE` by that statement too.
 */
import type { Field } from '../../blueprint/model.js';
import { historyKeyColumns } from '../../design/sql/index.js';
import { ArchitectError } from '../../errors.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import { type AuditContext, auditCte, type Origin, originSql } from '../audit/audit-sql.js';
import { type EntityPlan, ROW_ALIAS } from './entity-plan.js';
import {
  type AuthorizationScope,
  Binder,
  type ExpectedVersion,
  qualified,
  quotedName,
  type SqlQuery,
  scopeClause,
  versionCondition,
  whereClause,
} from './sql.js';

export interface WriteContext {
  readonly scope?: AuthorizationScope;
  /** Present when the caller wants audit rows (only audited entities write them). */
  readonly audit?: AuditContext;
  /** Values the server sets on create whatever the body says (tenant, owner). */
  readonly assigned?: readonly (readonly [Field, unknown])[];
  /** The new row's key, made by the caller (`plan.newKey`); made here when absent. */
  readonly key?: string;
}

/** `t.purchase_order_id = $1`, `t.id = $2`: the item path parameters bound in order. */
export function keyConditions(
  plan: EntityPlan,
  keyValues: readonly unknown[],
  binder: Binder,
  alias = ROW_ALIAS,
): string[] {
  return plan.itemParams.map(
    (param, index) =>
      `${qualified(alias, param.column)} = ${plan.cast(param.field, binder.bind(plan.toParam(param.field, keyValues[index])))}`,
  );
}

/** `t.id = previous."id"`: the table row against a CTE of representations. */
function joinToRelation(plan: EntityPlan, relation: string): string {
  return plan.keyFields
    .map((field) => `${qualified(ROW_ALIAS, field.column)} = ${relation}.${quotedName(field.property)}`)
    .join(' AND ');
}

function isAudited(
  plan: EntityPlan,
  context: WriteContext,
): context is WriteContext & { audit: AuditContext } {
  return plan.entity.audit && context.audit !== undefined;
}

/** The fields a write body sets, checked against what the operation allows (defence in depth). */
export function writeEntries(
  plan: EntityPlan,
  body: Readonly<Record<string, unknown>>,
  mode: 'create' | 'update',
): [Field, unknown][] {
  const entries: [Field, unknown][] = [];
  const refused: string[] = [];
  for (const [property, value] of Object.entries(body)) {
    const field = plan.byProperty.get(property);
    const allowed = field && (mode === 'create' ? field.creatable : field.updatable);
    if (!field || !allowed) refused.push(property);
    else entries.push([field, value]);
  }
  if (refused.length > 0) {
    throw new ArchitectError(
      'VALIDATION_FAILED',
      {},
      {
        details: refused.map((property) => ({
          field: property,
          code: plan.byProperty.has(property) ? 'readonly' : 'additionalProperties',
          message: plan.byProperty.has(property)
            ? `${property} cannot be set by clients`
            : `${property} is not a property of ${plan.entity.pascalName}`,
        })),
      },
    );
  }
  return entries;
}

export function buildReadQuery(
  plan: EntityPlan,
  keyValues: readonly unknown[],
  scope?: AuthorizationScope,
): SqlQuery {
  if (!scope) {
    // Without row rules the text depends on the entity alone: build it once, so each read binds
    // its key and reuses one string (and postgres.js finds its prepared statement without
    // hashing a new one).
    const cached = unscopedReads.get(plan);
    if (cached !== undefined) {
      return {
        text: cached,
        values: plan.itemParams.map((param, index) => plan.toParam(param.field, keyValues[index])),
      };
    }
    const query = readQuery(plan, keyValues);
    unscopedReads.set(plan, query.text);
    return query;
  }
  return readQuery(plan, keyValues, scope);
}

const unscopedReads = new WeakMap<EntityPlan, string>();

/**
 * The live rows of several items of an entity with a one-column key, the keys bound as one
 * array (`WHERE t.id = ANY($1::uuid[])`), without row rules: the batched form of
 * `buildReadQuery` (see resources/point-reads.ts). Rows come back in no particular order.
 */
export function buildReadManyQuery(plan: EntityPlan, keyValues: readonly unknown[]): SqlQuery {
  const [param, ...more] = plan.itemParams;
  if (!param || more.length > 0) throw new Error(`${plan.entity.name} has no one-column item key`);
  let text = readManyTexts.get(plan);
  if (text === undefined) {
    const key = `${qualified(ROW_ALIAS, param.column)} = ANY(${plan.cast(param.field, '$1')}[])`;
    text = `SELECT ${plan.selectAll} FROM ${plan.table} ${ROW_ALIAS}${whereClause([key, plan.live()])}`;
    readManyTexts.set(plan, text);
  }
  return { text, values: [keyValues.map((value) => plan.toParam(param.field, value))] };
}

const readManyTexts = new WeakMap<EntityPlan, string>();

function readQuery(plan: EntityPlan, keyValues: readonly unknown[], scope?: AuthorizationScope): SqlQuery {
  const binder = new Binder();
  const conditions = [
    ...keyConditions(plan, keyValues, binder),
    plan.live(),
    scopeClause(scope, ROW_ALIAS, binder, plan.entity.name),
  ];
  return binder.query(`SELECT ${plan.selectAll} FROM ${plan.table} ${ROW_ALIAS}${whereClause(conditions)}`);
}

/** Does the parent of a nested collection exist (and may the caller see it)? */
export function buildExistsQuery(
  plan: EntityPlan,
  keyValues: readonly unknown[],
  scope?: AuthorizationScope,
): SqlQuery {
  const binder = new Binder();
  const conditions = [
    ...plan.keyFields.map(
      (field, index) =>
        `${qualified(ROW_ALIAS, field.column)} = ${plan.cast(field, binder.bind(plan.toParam(field, keyValues[index])))}`,
    ),
    plan.live(),
    scopeClause(scope, ROW_ALIAS, binder, plan.entity.name),
  ];
  return binder.query(`SELECT 1 AS found FROM ${plan.table} ${ROW_ALIAS}${whereClause(conditions)}`);
}

/**
 * INSERT from a create body; `parentValues` binds the collection path parameters (the parent
 * reference of nested entities), which the body cannot carry.
 */
export function buildInsertQuery(
  plan: EntityPlan,
  body: Readonly<Record<string, unknown>>,
  parentValues: readonly unknown[],
  context: WriteContext = {},
): SqlQuery {
  const binder = new Binder();
  const entries = writeEntries(plan, body, 'create');
  if (plan.newKey) entries.unshift([plan.keyFields[0]!, context.key ?? plan.newKey()]);
  plan.collectionParams.forEach((param, index) => {
    entries.push([param.field, parentValues[index]]);
  });
  for (const [field, value] of context.assigned ?? []) entries.push([field, value]);
  const columns = entries.map(([field]) => qualifiedColumn(field));
  const values = entries.map(([field, value]) => plan.cast(field, binder.bind(plan.toParam(field, value))));
  const insert =
    entries.length === 0
      ? `INSERT INTO ${plan.table} AS ${ROW_ALIAS} DEFAULT VALUES RETURNING ${plan.selectAll}`
      : `INSERT INTO ${plan.table} AS ${ROW_ALIAS} (${columns.join(', ')}) VALUES (${values.join(', ')}) RETURNING ${plan.selectAll}`;
  const ctes = [`changed AS (${insert})`];
  const history = initialHistoryCte(plan, binder, context.audit);
  if (history) ctes.push(history);
  if (isAudited(plan, context))
    ctes.push(auditCte(plan, binder, context.audit, { action: 'create', after: 'changed' }));
  if (ctes.length === 1) return binder.query(insert);
  return binder.query(`WITH ${ctes.join(', ')} SELECT * FROM changed`);
}

/**
 * The first status history row of each new row (from_state NULL), for lifecycles with history;
 * `where` picks the new rows of `relation` when it holds updated ones too (an upsert).
 */
export function initialHistoryCte(
  plan: EntityPlan,
  binder: Binder,
  origin: Origin | undefined,
  relation = 'changed',
  where?: string,
): string | undefined {
  const lifecycle = plan.entity.lifecycle;
  if (!lifecycle?.historyTable) return undefined;
  const keys = historyKeyColumns(plan.entity);
  const keyValues = keys.map((key) => `${relation}.${quotedName(plan.byColumn.get(key.key)!.property)}`);
  const { actor, requestId } = origin
    ? originSql(origin, binder, relation)
    : { actor: binder.bind(null), requestId: binder.bind(null) };
  return `history AS (INSERT INTO ${lifecycle.historyTable} (${keys.map((key) => key.column).join(', ')}, from_state, to_state, transition, actor, request_id) SELECT ${keyValues.join(', ')}, NULL, ${relation}.${quotedName(lifecycle.property)}, 'create', ${actor}::text, ${requestId}::text FROM ${relation}${where ? ` WHERE ${where}` : ''})`;
}

/** A field's column as SQL, quoted once per field rather than once per statement. */
function qualifiedColumn(field: Field): string {
  let quoted = quotedColumns.get(field);
  if (quoted === undefined) {
    quoted = quoteIdentifier(field.column);
    quotedColumns.set(field, quoted);
  }
  return quoted;
}

const quotedColumns = new WeakMap<Field, string>();

/**
 * UPDATE from a PATCH body. With `expectedVersion` the version check sits in the WHERE clause, so
 * no row comes back when it is stale; the caller then reads the row to tell 404 from 412. The
 * database trigger bumps `version` and `updated_at`; the statement never sets them.
 */
export function buildUpdateQuery(
  plan: EntityPlan,
  keyValues: readonly unknown[],
  body: Readonly<Record<string, unknown>>,
  expectedVersion: ExpectedVersion | undefined,
  context: WriteContext = {},
): SqlQuery {
  const binder = new Binder();
  const entries = writeEntries(plan, body, 'update');
  const assignments = entries.map(
    ([field, value]) =>
      `${qualifiedColumn(field)} = ${plan.cast(field, binder.bind(plan.toParam(field, value)))}`,
  );
  return buildChange(
    plan,
    keyValues,
    expectedVersion,
    context,
    binder,
    'update',
    (where, from) =>
      `UPDATE ${plan.table} AS ${ROW_ALIAS} SET ${assignments.join(', ')}${from}${where} RETURNING ${plan.selectAll}`,
  );
}

/** DELETE, or `SET deleted_at = now()` for soft-deleted entities. Returns the row as it was. */
export function buildDeleteQuery(
  plan: EntityPlan,
  keyValues: readonly unknown[],
  expectedVersion: ExpectedVersion | undefined,
  context: WriteContext = {},
): SqlQuery {
  const binder = new Binder();
  return buildChange(plan, keyValues, expectedVersion, context, binder, 'delete', (where, from) =>
    plan.entity.softDelete
      ? `UPDATE ${plan.table} AS ${ROW_ALIAS} SET deleted_at = now()${from}${where} RETURNING ${plan.selectAll}`
      : `DELETE FROM ${plan.table} AS ${ROW_ALIAS}${from ? ` USING ${from.slice(' FROM '.length)}` : ''}${where} RETURNING ${plan.selectAll}`,
  );
}

/**
 * The shared shape of update and delete: without audit a plain statement on the key; with audit
 * `previous` (the row locked FOR UPDATE), `changed` (the statement joined to it) and `audit`.
 */
function buildChange(
  plan: EntityPlan,
  keyValues: readonly unknown[],
  expectedVersion: ExpectedVersion | undefined,
  context: WriteContext,
  binder: Binder,
  action: 'update' | 'delete',
  statement: (where: string, from: string) => string,
): SqlQuery {
  const version = (binder: Binder) => versionCondition(binder, ROW_ALIAS, expectedVersion);
  if (!isAudited(plan, context)) {
    const conditions = [
      ...keyConditions(plan, keyValues, binder),
      plan.live(),
      version(binder),
      scopeClause(context.scope, ROW_ALIAS, binder, plan.entity.name),
    ];
    return binder.query(statement(whereClause(conditions), ''));
  }
  const previousConditions = [
    ...keyConditions(plan, keyValues, binder),
    plan.live(),
    scopeClause(context.scope, ROW_ALIAS, binder, plan.entity.name),
  ];
  const previous = `previous AS (SELECT ${plan.selectAll} FROM ${plan.table} ${ROW_ALIAS}${whereClause(previousConditions)} FOR UPDATE)`;
  const changed = `changed AS (${statement(whereClause([joinToRelation(plan, 'previous'), version(binder)]), ' FROM previous')})`;
  const audit = auditCte(plan, binder, context.audit, {
    action,
    before: 'previous',
    after: action === 'delete' ? undefined : 'changed',
    touched: action === 'delete' ? 'changed' : undefined,
  });
  return binder.query(`WITH ${previous}, ${changed}, ${audit} SELECT * FROM changed`);
}
