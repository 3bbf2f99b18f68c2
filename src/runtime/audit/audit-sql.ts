/**
 * Audit rows are written by the same statement as the change they record: a data-modifying CTE
 * appended to the write (`audit AS (INSERT INTO audit_log ... SELECT ... FROM changed)`), so the
 * trail can neither miss a committed change nor record a rolled-back one.
 *
 * `audit_log` is created by the DDL emitter (`src/design/sql/`) when the model has audited
 * entities: `entity, entity_id, action, actor, request_id, before, after, created_at`.
 */
import type { EntityPlan } from '../query/entity-plan.js';
import { type Binder, quotedName } from '../query/sql.js';

export const AUDIT_TABLE = 'audit_log';

/** Who did it, and in which request; the actor is `anonymous` until authentication lands. */
export interface AuditContext {
  readonly actor: string;
  readonly requestId: string;
}

/**
 * The columns of the changed rows that carry each row's own actor and request id, where one
 * statement writes the rows of several requests (creates that went to the database together).
 */
export const ORIGIN_COLUMNS = { actor: '__actor', requestId: '__request' } as const;

/** One origin for the whole statement, or each row's own (`ORIGIN_COLUMNS`). */
export type Origin = AuditContext | 'per-row';

/** The SQL of an origin's actor and request id, for rows of `relation`. */
export function originSql(
  origin: Origin,
  binder: Binder,
  relation: string,
): { actor: string; requestId: string } {
  if (origin === 'per-row') {
    return {
      actor: `${relation}.${quotedName(ORIGIN_COLUMNS.actor)}`,
      requestId: `${relation}.${quotedName(ORIGIN_COLUMNS.requestId)}`,
    };
  }
  return { actor: binder.bind(origin.actor), requestId: binder.bind(origin.requestId) };
}

/** `changed."id"::text`, or `a/b` for composite keys: the entity_id of an audit row. */
export function keyTextExpression(plan: EntityPlan, relation: string): string {
  const parts = plan.keyFields.map((field) => `${relation}.${quotedName(field.property)}::text`);
  return parts.length === 1 ? parts[0]! : `concat_ws('/', ${parts.join(', ')})`;
}

/** Join condition between two relations holding the entity's representation (property names). */
export function keyJoin(plan: EntityPlan, left: string, right: string): string {
  return plan.keyFields
    .map((field) => `${left}.${quotedName(field.property)} = ${right}.${quotedName(field.property)}`)
    .join(' AND ');
}

export interface AuditCteOptions {
  readonly action: string;
  /** SQL computing the action per row instead (upserts: create or update). */
  readonly actionExpression?: string;
  /** `before` may have no row (upserts that insert): LEFT JOIN it. */
  readonly beforeOptional?: boolean;
  /** The CTE holding the rows after the change (absent for deletes). */
  readonly after?: string;
  /** The CTE holding the rows before the change (absent for creates). */
  readonly before?: string;
  /** Helper columns of the CTEs (`__ord`) that are not part of the representation. */
  readonly helperColumns?: readonly string[];
  /**
   * Only audit rows the change really touched: for deletes, `before` joined to the statement's
   * RETURNING relation named here.
   */
  readonly touched?: string;
}

/** `audit AS (INSERT INTO audit_log ...)`, to put after the CTEs it reads. */
export function auditCte(
  plan: EntityPlan,
  binder: Binder,
  context: Origin,
  options: AuditCteOptions,
): string {
  const strip = (relation: string) =>
    `to_jsonb(${relation})${(options.helperColumns ?? []).map((column) => ` - '${column}'`).join('')}`;
  const driving = options.after ?? options.before!;
  const other = options.after && options.before ? options.before : options.touched;
  const join = options.beforeOptional ? 'LEFT JOIN' : 'JOIN';
  const from = other ? `${driving} ${join} ${other} ON ${keyJoin(plan, driving, other)}` : driving;
  const tenant = tenantExpression(plan, driving);
  const entity = binder.bind(plan.entity.name);
  const action = options.actionExpression ?? binder.bind(options.action);
  const origin = originSql(context, binder, driving);
  return `audit AS (INSERT INTO ${AUDIT_TABLE} (entity, entity_id, action, actor, request_id, before, after${tenant ? ', tenant_id' : ''}) SELECT ${entity}, ${keyTextExpression(plan, driving)}, ${action}, ${origin.actor}, ${origin.requestId}, ${options.before ? strip(options.before) : 'NULL'}, ${options.after ? strip(options.after) : 'NULL'}${tenant ? `, ${tenant}` : ''} FROM ${from})`;
}

/**
 * The tenant an audit row belongs to, in a multi-tenant model: the row's tenant column, the key
 * of a tenant row itself, NULL for rows outside every tenant (people); undefined without tenancy
 * (the audit table then has no tenant column).
 */
function tenantExpression(plan: EntityPlan, relation: string): string | undefined {
  const tenancy = plan.model.tenancy;
  if (tenancy.kind !== 'organization') return undefined;
  const column = plan.entity.tenant?.column;
  if (column) return `${relation}.${quotedName(plan.byColumn.get(column)!.property)}`;
  if (plan.entity.name === tenancy.entity) return `${relation}.${quotedName(plan.keyFields[0]!.property)}`;
  return 'NULL::uuid';
}
